import { describe, expect, it } from 'vitest';
import type { StoredAlert } from '../../src/alerting/alert-store.js';
import { closestPage, escalationRows, type PlannedPage, type TicketLane } from '../../src/notify/escalation.js';
import type { EvaluationFigures } from '../../src/alerting/evaluation-figures.js';

const figures: EvaluationFigures = { at: 2000, status: 'ok', budgetRemaining: 0.9, timeToExhaustion: 3600, errorRatio: 0.002, pairs: [] };
const ticket = (slo: string, state: StoredAlert['state'] = 'firing'): StoredAlert => ({
  fingerprint: `${slo}/ticket`,
  labels: { slo, severity: 'ticket' },
  kind: 'burn',
  slo,
  severity: 'ticket',
  state,
  activeAt: 1000,
  firedAt: 1000,
  resolvedAt: state === 'resolved' ? 1900 : null,
  updatedAt: 2000,
  figures,
});
const lane = (integration: string, firing: string[], incident: string | null = 'inc-ticket'): TicketLane => ({
  groupId: 'root\u001froot:{severity="ticket",team="payments"}',
  routed: { routeId: 'root', receiver: 'payments', groupKey: 'root:{severity="ticket",team="payments"}', groupLabels: { severity: 'ticket', team: 'payments' }, settings: { groupWait: 30, groupInterval: 300, repeatInterval: 14_400, sendResolved: true } },
  integration,
  entry: { firing, resolved: [], sentAt: 1030, incident },
});
let counter = 0;
const rows = (pages: PlannedPage[], alerts: StoredAlert[], lanes: (t: StoredAlert) => TicketLane[]) =>
  escalationRows({ pages, alerts, lanesOf: lanes, describe: (shown) => shown.map((a) => ({ alert: a, slo: { name: a.slo, service: '', description: '', objective: 99.9, window: 2_592_000, labels: {} }, figures: a.figures })), newId: () => `ntf-${++counter}`, now: 2010 });

describe('escalation notes', () => {
  const pages: PlannedPage[] = [
    { id: 'page-slack', integration: 'pager/slack', slos: ['checkout'] },
    { id: 'page-email', integration: 'pager/email', slos: ['checkout'] },
  ];

  it('go to every ticket lane whose open incident told of the paged SLO, linking the page of the same kind', () => {
    const planned = rows(pages, [ticket('checkout')], () => [lane('payments/slack', ['checkout/ticket']), lane('payments/email', ['checkout/ticket'])]);
    expect(planned.map((r) => [r.integration, r.outbox.incident, r.outbox.reason, r.outbox.notification.escalation?.pageId])).toEqual([
      ['payments/slack', 'inc-ticket', 'escalated', 'page-slack'],
      ['payments/email', 'inc-ticket', 'escalated', 'page-email'],
    ]);
    expect(planned[0]!.outbox.notification).toMatchObject({ status: 'firing', groupKey: 'root:{severity="ticket",team="payments"}', escalation: { slos: ['checkout'], at: 2010 } });
  });

  it('re-render the lane as it was notified (its other tickets too) and name only the SLOs that page', () => {
    const [row] = rows(pages, [ticket('checkout'), ticket('search')], () => [lane('payments/slack', ['checkout/ticket', 'search/ticket'])]);
    expect(row!.outbox.notification.alerts.map((a) => a.alert.slo)).toEqual(['checkout', 'search']);
    expect(row!.outbox.notification.escalation?.slos).toEqual(['checkout']);
  });

  it.each([
    ['the receiver was never told of the ticket (it was muted or not yet sent)', [ticket('checkout')], lane('payments/slack', ['search/ticket'])],
    ['the ticket incident is closed (everything resolved)', [ticket('checkout')], lane('payments/slack', ['checkout/ticket'], null)],
    ['the ticket already resolved', [ticket('checkout', 'resolved')], lane('payments/slack', ['checkout/ticket'])],
    ['another SLO pages', [ticket('search')], lane('payments/slack', ['search/ticket'])],
  ] as const)('are not sent when %s', (_sentence, alerts, ticketLane) => {
    expect(rows(pages, [...alerts], () => [ticketLane])).toEqual([]);
  });

  it('link the same integration first, then one of the same kind, then any', () => {
    const all: PlannedPage[] = [
      { id: 'a', integration: 'pager/email', slos: [] },
      { id: 'b', integration: 'pager/slack', slos: [] },
      { id: 'c', integration: 'payments/slack', slos: [] },
    ];
    expect(closestPage(all, 'payments/slack')?.id).toBe('c');
    expect(closestPage(all, 'ops/slack')?.id).toBe('b');
    expect(closestPage(all.slice(1), 'ops/email')?.id).toBe('b');
  });
});
