import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerting/alert.js';
import { alertLabels, stepAlert } from '../../src/alerting/alert-lifecycle.js';
import { fingerprint } from '../../src/alerting/fingerprint.js';
import { testSlo } from '../support/slo-fixture.js';

const make = () => ({ fingerprint: 'f', labels: {}, kind: 'burn' as const, slo: 's', severity: 'page' as const });
const alert = (state: Alert['state'], activeAt = 0, firedAt: number | null = null): Alert => ({
  ...make(),
  state,
  activeAt,
  firedAt,
  resolvedAt: null,
  updatedAt: activeAt,
});

describe('alert lifecycle', () => {
  it.each([
    ['a burn without `for` fires at once', undefined, 'firing', 0, 60, { state: 'firing', activeAt: 60, firedAt: 60 }],
    ['a burn with `for` waits in pending', undefined, 'firing', 120, 60, { state: 'pending', activeAt: 60, firedAt: null }],
    ['pending turns firing once `for` has passed', alert('pending', 60), 'firing', 120, 180, { state: 'firing', activeAt: 60, firedAt: 180 }],
    ['pending stays pending before `for` has passed', alert('pending', 60), 'firing', 120, 120, { state: 'pending', activeAt: 60 }],
    ['a firing alert resolves when the burn stops', alert('firing', 60, 60), 'ok', 0, 600, { state: 'resolved', resolvedAt: 600 }],
    ['a firing alert stays firing when its data vanishes', alert('firing', 60, 60), 'unknown', 0, 600, { state: 'firing', updatedAt: 600 }],
    ['a resolved alert that burns again starts over', { ...alert('resolved', 60, 60), resolvedAt: 600 }, 'firing', 0, 900, { state: 'firing', activeAt: 900, resolvedAt: null }],
  ] as const)('%s', (_sentence, previous, condition, holdFor, now, expected) => {
    expect(stepAlert(previous, condition, holdFor, now, make)).toMatchObject(expected);
  });

  it('a pending alert whose burn stops disappears without ever being sent', () => {
    expect(stepAlert(alert('pending', 60), 'ok', 120, 120, make)).toBeUndefined();
  });

  it('no data starts nothing', () => {
    expect(stepAlert(undefined, 'unknown', 0, 60, make)).toBeUndefined();
  });

  it('labels carry the SLO labels and burnrate sets the identity labels; the fingerprint depends on labels only', () => {
    const slo = testSlo({ labels: { team: 'payments', severity: 'spoofed' } });
    const labels = alertLabels(slo, 'burn', 'page');
    expect(labels).toEqual({ team: 'payments', alertname: 'SLOBurnRate', slo: 'checkout-availability', service: 'checkout', severity: 'page' });
    expect(fingerprint(labels)).toBe(fingerprint({ ...labels }));
    expect(fingerprint(labels)).not.toBe(fingerprint({ ...labels, severity: 'ticket' }));
  });
});
