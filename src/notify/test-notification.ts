import { randomUUID } from 'node:crypto';
import type { Alert } from '../alerting/alert.js';
import type { Notification } from './notification.js';

/** The SLO name a test notification carries, so no reader mistakes it for a real one. */
export const testSloName = 'burnrate-test-page';

/**
 * A clearly marked test page for one receiver, firing or (for the same incident) resolved: what
 * `burnrate test-receiver` sends through the real integrations to show that pages arrive. No SLO is burning; the
 * figures are empty and the text says so.
 */
export function testNotification(receiver: string, status: 'firing' | 'resolved', now: number, incident: string = randomUUID()): Notification {
  const labels = { alertname: 'BurnrateTest', slo: testSloName, service: 'burnrate', severity: 'page' };
  const alert: Alert = {
    fingerprint: `test-${incident}`,
    labels,
    kind: 'burn',
    slo: testSloName,
    severity: 'page',
    state: status,
    activeAt: now,
    firedAt: now,
    resolvedAt: status === 'resolved' ? now : null,
    updatedAt: now,
  };
  return {
    id: `test_${incident}_${status}`,
    receiver,
    groupKey: `{}:{slo="${testSloName}"}:test-${incident}`,
    groupLabels: { slo: testSloName },
    status,
    createdAt: now,
    alerts: [
      {
        alert,
        slo: {
          name: testSloName,
          service: 'burnrate',
          description: 'TEST page sent by `burnrate test-receiver` to check that pages reach this receiver. Nothing is burning; no action is needed.',
          objective: 99.9,
          window: 30 * 86_400,
          labels: {},
        },
        figures: { at: now, status: 'ok', budgetRemaining: 1, budgetCoverage: 1, timeToExhaustion: null, errorRatio: 0, pairs: [] },
        runbook: null,
        deploy: { found: false, lookback: 0 },
        links: { dashboard: null, query: null },
      },
    ],
  };
}
