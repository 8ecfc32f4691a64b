import { describe, expect, it } from 'vitest';
import { dedupStage, type LaneLog } from '../../src/notify/dedup-stage.js';
import { planStage } from '../../src/notify/plan-stage.js';
import { settings as routeSettings, stored } from './stage-fixtures.js';

const target = { groupId: 'g', groupKey: 'team=payments', receiver: 'payments', groupLabels: { team: 'payments' }, integration: 'payments/slack' };
const plan = (alerts: ReturnType<typeof stored>[], entry: LaneLog | undefined, sendResolved = true) => {
  let counter = 0;
  const settings = { ...routeSettings, sendResolved };
  const lane = dedupStage({ alerts, muted: new Set<string>(), entry, settings }, 2000);
  return planStage({ ...lane, ...target, newId: () => `id-${++counter}`, describe: (alert) => ({ alert, slo: { name: alert.slo, service: '', description: '', objective: 99.9, window: 2_592_000, labels: {} }, figures: alert.figures }) }, 2000);
};
const log = (firing: string[], incident: string | null = 'inc-1'): LaneLog => ({ firing, resolved: [], sentAt: 1000, incident });

describe('plan stage', () => {
  it.each([
    // sentence, alerts, log entry, send_resolved → [outbox id, incident, reason, status, log incident] or null
    ['a first page opens an incident named by its notification', [stored('a', 'page')], undefined, true, ['id-1', 'id-1', 'first', 'firing', 'id-1']],
    ['a new alert joins the open incident with a new notification', [stored('a', 'page'), stored('b', 'page')], log(['a/page']), true, ['id-1', 'inc-1', 'new-alerts', 'firing', 'inc-1']],
    ['firing again after an all-clear opens a new incident', [stored('a', 'page')], log([], null), true, ['id-1', 'id-1', 'first', 'firing', 'id-1']],
    ['the resolve closes the incident in the log', [stored('a', 'page', 'resolved')], log(['a/page']), true, ['id-1', 'inc-1', 'resolved', 'resolved', null]],
  ] as const)('%s', (_sentence, alerts, entry, sendResolved, expected) => {
    const { record } = plan([...alerts], entry, sendResolved);
    const outbox = record?.outbox;
    expect(outbox && [outbox.id, outbox.incident, outbox.reason, outbox.notification.status, record.entry.incident]).toEqual(expected);
  });

  it('without send_resolved the resolve is recorded, not sent', () => {
    const { record, planned } = plan([stored('a', 'page', 'resolved')], log(['a/page']), false);
    expect([record?.reason, record?.outbox, record?.entry, planned]).toEqual(['resolved', null, { firing: [], resolved: ['a/page'], sentAt: 2000, incident: null }, false]);
  });

  it('nothing to tell: nothing recorded, the group stays open while an alert fires', () => {
    expect(plan([stored('a', 'page')], log(['a/page']))).toEqual({ record: null, open: true, planned: false });
  });

  it.each([
    ['a page the receiver learns of now names its SLO', [stored('a', 'page'), stored('b', 'ticket')], undefined, ['a']],
    ['a page already notified is not paged again', [stored('a', 'page'), stored('b', 'page')], log(['a/page']), ['b']],
    ['a ticket pages nothing', [stored('b', 'ticket')], undefined, undefined],
  ] as const)('pages: %s', (_sentence, alerts, entry, slos) => {
    expect(plan([...alerts], entry).page?.slos).toEqual(slos);
  });

  it('shows firing alerts first, then the resolved the receiver knew of', () => {
    const { record } = plan([stored('a', 'page'), stored('b', 'page', 'resolved')], log(['a/page', 'b/page']));
    expect(record?.outbox?.notification.alerts.map((a) => `${a.alert.slo}:${a.alert.state}`)).toEqual(['a:firing', 'b:resolved']);
    expect(record?.outbox?.notification).toMatchObject({ receiver: 'payments', groupKey: 'team=payments', groupLabels: { team: 'payments' }, createdAt: 2000 });
  });
});
