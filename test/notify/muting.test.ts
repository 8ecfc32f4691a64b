import { describe, expect, it } from 'vitest';
import type { Alert, AlertState } from '../../src/alerting/alert.js';
import { mutedAlerts, pageCovers } from '../../src/notify/muting.js';

const alert = (severity: 'page' | 'ticket', state: AlertState, times: Partial<Pick<Alert, 'activeAt' | 'firedAt' | 'resolvedAt'>> = {}, slo = 'checkout', kind: Alert['kind'] = 'burn'): Alert => ({
  fingerprint: `${slo}/${kind}/${severity}`,
  labels: { slo, severity, alertname: kind === 'burn' ? 'SLOBurnRate' : 'SLONoData' },
  kind,
  slo,
  severity,
  state,
  activeAt: times.activeAt ?? 1000,
  firedAt: times.firedAt === undefined ? (state === 'pending' ? null : 1000) : times.firedAt,
  resolvedAt: times.resolvedAt ?? null,
  updatedAt: 2000,
});

const ticket = alert('ticket', 'firing', { activeAt: 1060, firedAt: 1060 });

describe('whether the page of the same SLO covers its ticket', () => {
  it.each([
    ['no page alert (its condition is inactive): the ticket is sent', undefined, false],
    ['the page is pending in its `for`: the ticket waits, so a ticket never goes out before the page', alert('page', 'pending', { activeAt: 1060 }), true],
    ['the page fires: one incident, one page', alert('page', 'firing', { activeAt: 1000, firedAt: 1120 }), true],
    ['the page fired and resolved after the ticket burn began: still the paged incident', alert('page', 'resolved', { activeAt: 1000, firedAt: 1120, resolvedAt: 4000 }), true],
    ['the page resolved before this ticket burn began: a separate, later burn is ticketed', alert('page', 'resolved', { activeAt: 100, firedAt: 160, resolvedAt: 900 }), false],
  ] as const)('%s', (_sentence, page, covered) => {
    expect(pageCovers(page, ticket)).toBe(covered);
  });
});

describe('muted alerts', () => {
  const never = () => false;

  it('mutes a firing ticket while its page is pending, and nothing else', () => {
    const page = alert('page', 'pending', { activeAt: 1060 });
    const other = alert('ticket', 'firing', {}, 'search');
    const muted = mutedAlerts([ticket, other], (slo) => (slo === 'checkout' ? page : undefined), never);
    expect([...muted]).toEqual([ticket.fingerprint]);
  });

  it('never mutes the page itself or a no-data ticket because of a page', () => {
    const page = alert('page', 'firing');
    const noData = alert('ticket', 'firing', {}, 'checkout', 'no_data');
    expect([...mutedAlerts([page, noData], () => page, never)]).toEqual([]);
  });

  it('mutes silenced alerts of any severity, and only firing ones', () => {
    const page = alert('page', 'firing');
    const resolved = alert('ticket', 'resolved', { resolvedAt: 1500 }, 'search');
    expect([...mutedAlerts([page, resolved], () => undefined, () => true)]).toEqual([page.fingerprint]);
  });
});
