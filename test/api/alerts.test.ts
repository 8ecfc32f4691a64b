import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../../src/alerting/alert-store.js';
import type { Slo } from '../../src/slo/model.js';
import { testSlo } from '../support/slo-fixture.js';
import { apiHarness, closeHarnesses, defaultSlos, readAuth, t0, type ApiHarness } from './api-harness.js';

afterEach(closeHarnesses);

const base = testSlo({ name: 'ledger-availability', service: 'ledger' });
/** Its alerts wait an hour in pending before they fire. */
const ledger: Slo = { ...base, alerting: { ...base.alerting, tiers: { page: { runbook: 'ledger.md', for: 3600 }, ticket: { runbook: 'ledger.md', for: 3600 } } } };

async function withAlerts(): Promise<ApiHarness> {
  const h = await apiHarness({ slos: [...defaultSlos, ledger] });
  // checkout burns for ten minutes then recovers (resolved), search burns on (firing), ledger has just begun (pending).
  for (let m = 0; m <= 30; m++) {
    const at = t0 - 30 * 60 + m * 60;
    h.record(at, { 'checkout-availability': m < 10 ? 0.02 : 0, 'search-availability': 0.05, 'ledger-availability': m >= 25 ? 0.05 : 0 });
  }
  return h;
}

const list = async (h: ApiHarness, query: string) => {
  const response = await h.app.inject({ method: 'GET', url: `/api/v1/alerts${query}`, headers: readAuth });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { alerts: StoredAlert[] }).alerts.map((a) => `${a.slo} ${a.severity} ${a.state}`);
};

describe('GET /api/v1/alerts', () => {
  const filters = [
    {
      sentence: 'no filter lists pending, firing and resolved alerts',
      query: '',
      alerts: [
        'checkout-availability page resolved',
        'checkout-availability ticket resolved',
        'ledger-availability page pending',
        'ledger-availability ticket pending',
        'search-availability page firing',
        'search-availability ticket firing',
      ],
    },
    { sentence: 'state=firing', query: '?state=firing', alerts: ['search-availability page firing', 'search-availability ticket firing'] },
    { sentence: 'state=pending', query: '?state=pending', alerts: ['ledger-availability page pending', 'ledger-availability ticket pending'] },
    { sentence: 'state=resolved', query: '?state=resolved', alerts: ['checkout-availability page resolved', 'checkout-availability ticket resolved'] },
    { sentence: 'slo and severity combine', query: '?slo=search-availability&severity=page', alerts: ['search-availability page firing'] },
    { sentence: 'severity=ticket', query: '?severity=ticket', alerts: ['checkout-availability ticket resolved', 'ledger-availability ticket pending', 'search-availability ticket firing'] },
    { sentence: 'service matches the service label', query: '?service=ledger', alerts: ['ledger-availability page pending', 'ledger-availability ticket pending'] },
    { sentence: 'kind=no_data finds none while data flows', query: '?kind=no_data', alerts: [] },
    { sentence: 'limit cuts the list', query: '?limit=1', alerts: ['checkout-availability page resolved'] },
  ];
  for (const f of filters) {
    it(f.sentence, async () => {
      const h = await withAlerts();
      expect(await list(h, f.query)).toEqual(f.alerts);
    });
  }

  it('each alert carries its labels, times and figures', async () => {
    const h = await withAlerts();
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/alerts?slo=search-availability&severity=page', headers: readAuth });
    const [alert] = (response.json() as { alerts: StoredAlert[] }).alerts;
    expect(alert).toMatchObject({
      kind: 'burn',
      labels: { alertname: 'SLOBurnRate', slo: 'search-availability', service: 'search', severity: 'page', team: 'discovery' },
      activeAt: t0 - 30 * 60,
      firedAt: t0 - 30 * 60,
      resolvedAt: null,
      figures: { at: t0, status: 'ok' },
    });
    expect(alert!.figures.budgetRemaining).toBeCloseTo(-49, 9);
  });
});
