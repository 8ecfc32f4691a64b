import { afterEach, describe, expect, it } from 'vitest';
import type { SloStatusView } from '../../src/daemon/routes/slo-view.js';
import { apiHarness, closeHarnesses, readAuth, t0, type ApiHarness, type ErrorJson } from './api-harness.js';

afterEach(closeHarnesses);

const minute = 60;
const hour = 3600;
const start = t0 - 6 * hour;
/** checkout-availability's error ratio at minute m after `start`: a page-level burn from minute 120 to 179. */
const ratioAt = (m: number) => (m >= 120 && m < 180 ? 0.02 : 0.0001 * (m % 7));

function sixHoursOfHistory(h: ApiHarness) {
  for (let m = 0; m <= 360; m++) {
    h.record(start + m * minute, { 'checkout-availability': ratioAt(m), 'search-availability': 0.05 });
  }
}

const get = async <T>(h: ApiHarness, url: string) => {
  const response = await h.app.inject({ method: 'GET', url, headers: readAuth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
};

describe('GET /api/v1/slos', () => {
  const filters = [
    { sentence: 'no filter lists every SLO in file order', query: '', names: ['checkout-availability', 'checkout-latency', 'search-availability'] },
    { sentence: 'service keeps that service', query: '?service=checkout', names: ['checkout-availability', 'checkout-latency'] },
    { sentence: 'team matches the team label', query: '?team=discovery', names: ['search-availability'] },
    { sentence: 'status pending is the SLOs never evaluated', query: '?status=pending', names: ['checkout-latency'] },
    { sentence: 'status ok', query: '?status=ok', names: ['checkout-availability', 'search-availability'] },
    { sentence: 'filters combine', query: '?team=payments&status=ok', names: ['checkout-availability'] },
    { sentence: 'limit cuts the list', query: '?limit=2', names: ['checkout-availability', 'checkout-latency'] },
    { sentence: 'an unknown service matches nothing', query: '?service=nobody', names: [] },
  ];
  for (const f of filters) {
    it(f.sentence, async () => {
      const h = await apiHarness();
      h.record(t0, { 'checkout-availability': 0.0005, 'search-availability': 0.05 });
      const { slos } = await get<{ slos: SloStatusView[] }>(h, `/api/v1/slos${f.query}`);
      expect(slos.map((s) => s.name)).toEqual(f.names);
    });
  }

  it('shows the latest budget, burn rates per window and page/ticket state', async () => {
    const h = await apiHarness();
    sixHoursOfHistory(h);
    const { slos } = await get<{ slos: SloStatusView[] }>(h, '/api/v1/slos?service=search');
    const search = slos[0]!;
    // 5% errors against a 0.1% budget: a burn rate of 50 in every window, the budget overspent 49 times over.
    expect(search).toMatchObject({ status: 'ok', evaluatedAt: t0, objective: 99.9, window: 30 * 86_400, windowText: '30d', labels: { team: 'discovery' } });
    expect(search.budgetRemaining).toBeCloseTo(-49, 9);
    expect(search.errorRatio).toBeCloseTo(0.05, 12);
    expect(search.timeToExhaustion).toBe(0);
    expect(search.burnRates.map((w) => w.window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    for (const w of search.burnRates) expect(w.burnRate).toBeCloseTo(50, 9);
    // No `for` on these tiers: the alerts fired at the first burning evaluation.
    expect(search.page).toEqual({ condition: 'firing', state: 'firing', activeSince: start, firingSince: start });
    expect(search.ticket).toEqual({ condition: 'firing', state: 'firing', activeSince: start, firingSince: start });

    const pending = (await get<{ slos: SloStatusView[] }>(h, '/api/v1/slos?status=pending')).slos[0]!;
    expect(pending).toMatchObject({ name: 'checkout-latency', evaluatedAt: null, budgetRemaining: null, burnRates: [], page: { condition: null, state: 'inactive', activeSince: null, firingSince: null } });
  });
});

interface Detail extends SloStatusView {
  definition: { minEvents: number; pairs: Array<{ severity: string; long: string; short: string; factor: number }>; tiers: Record<string, unknown> };
  history: { from: number; to: number; step: number; points: Array<{ t: number; budgetRemaining: number | null; status: string }> };
  transitions: Array<{ slo: string; kind: string; severity: string; state: string; at: number; figures: { budgetRemaining: number | null } | null }>;
  recentDeploys: Array<{ id: string; version: string | null; finishedAt: number; live: boolean; from: number; to: number; errors: number; total: number; budgetSpentPercent: number | null }>;
}

describe('GET /api/v1/slos/:name', () => {
  it('lists the recent deploys of the service with the budget each has cost the SLO, adding up to the budget spent', async () => {
    const h = await apiHarness();
    // Two days of one-minute buckets up to t0, 100 events each: 1 error a minute until v2 landed, 3 after.
    const v2At = t0 - 6 * hour - 30;
    h.ledger.reset('checkout-availability', 'test');
    h.ledger.append(
      'checkout-availability',
      Array.from({ length: 2 * 1440 }, (_, i) => {
        const end = t0 - 2 * 86_400 + (i + 1) * minute;
        return { end, width: minute, errors: end > v2At ? 3 : 1, total: 100 };
      }),
    );
    h.deploys.record({ service: 'checkout', version: 'v1', finishedAt: t0 - 40 * 86_400 }, t0);
    h.deploys.record({ service: 'checkout', version: 'v2', finishedAt: v2At }, t0);
    h.deploys.record({ service: 'search', version: 's9', finishedAt: t0 - hour }, t0);
    const detail = await get<Detail>(h, '/api/v1/slos/checkout-availability');
    expect(detail.recentDeploys.map(({ version, live, errors, total }) => ({ version, live, errors, total }))).toEqual([
      // v2 landed inside the bucket ending at t0 − 6h: charged that bucket and the 360 after it, 3 errors each.
      { version: 'v2', live: true, errors: 361 * 3, total: 361 * 100 },
      // v1, live since before the ledger began: the rest of the two days.
      { version: 'v1', live: false, errors: 2 * 1440 - 361, total: (2 * 1440 - 361) * 100 },
    ]);
    // The budget of the 30-day window's events is 0.1% of 288,000 = 288 errors.
    expect(detail.recentDeploys[0]!.budgetSpentPercent).toBeCloseTo((1083 / 288) * 100, 9);
    const spent = detail.recentDeploys.reduce((sum, d) => sum + d.budgetSpentPercent!, 0);
    expect(spent).toBeCloseTo(((2 * 1440 - 361 + 1083) / 288) * 100, 9);
  });

  it('downsamples the budget history to the newest evaluation of each step, over the SLO window by default', async () => {
    const h = await apiHarness();
    sixHoursOfHistory(h);
    const detail = await get<Detail>(h, '/api/v1/slos/checkout-availability');
    expect(detail.history).toMatchObject({ from: t0 - 30 * 86_400, to: t0, step: hour });
    // Independently: one point per clock hour, the evaluation at minute 59 of it (and 12:00 alone in its hour).
    const expected = [59, 119, 179, 239, 299, 359, 360].map((m) => ({ t: start + m * minute, budgetRemaining: 1 - ratioAt(m) / 0.001 }));
    expect(detail.history.points.map((p) => p.t)).toEqual(expected.map((p) => p.t));
    detail.history.points.forEach((point, i) => expect(point.budgetRemaining).toBeCloseTo(expected[i]!.budgetRemaining, 9));
  });

  it('takes from, to and step: 30-minute points over two hours of the burn', async () => {
    const h = await apiHarness();
    sixHoursOfHistory(h);
    const from = start + 2 * hour;
    const detail = await get<Detail>(h, `/api/v1/slos/checkout-availability?from=${from}&to=2026-11-02T10:00:00Z&step=30m`);
    expect(detail.history).toMatchObject({ from, to: start + 4 * hour, step: 1800 });
    expect(detail.history.points.map((p) => (p.t - start) / minute)).toEqual([149, 179, 209, 239, 240]);
    expect(detail.history.points[0]!.budgetRemaining).toBeCloseTo(-19, 9);
  });

  it('accepts a duration back from now as from', async () => {
    const h = await apiHarness();
    sixHoursOfHistory(h);
    const detail = await get<Detail>(h, '/api/v1/slos/checkout-availability?from=90m&step=1h');
    expect(detail.history.from).toBe(t0 - 90 * minute);
    expect(detail.history.points.map((p) => (p.t - start) / minute)).toEqual([299, 359, 360]);
  });

  it('lists the alerts\' state changes of the range with their figures, and the definition with windows and factors', async () => {
    const h = await apiHarness();
    sixHoursOfHistory(h);
    const detail = await get<Detail>(h, '/api/v1/slos/checkout-availability');
    expect(detail.transitions.map(({ slo, kind, severity, state, at }) => ({ slo, kind, severity, state, at }))).toEqual([
      { slo: 'checkout-availability', kind: 'burn', severity: 'page', state: 'firing', at: start + 120 * minute },
      { slo: 'checkout-availability', kind: 'burn', severity: 'ticket', state: 'firing', at: start + 120 * minute },
      { slo: 'checkout-availability', kind: 'burn', severity: 'page', state: 'resolved', at: start + 180 * minute },
      { slo: 'checkout-availability', kind: 'burn', severity: 'ticket', state: 'resolved', at: start + 180 * minute },
    ]);
    // The figures of the evaluation that caused each change: the 2% burn has spent 19 budgets by minute 120.
    expect(detail.transitions[0]!.figures?.budgetRemaining).toBeCloseTo(1 - 0.02 / 0.001, 9);
    expect(detail.definition.pairs.map((p) => [p.severity, p.long, p.short])).toEqual([
      ['page', '1h', '5m'],
      ['page', '6h', '30m'],
      ['ticket', '1d', '2h'],
      ['ticket', '3d', '6h'],
    ]);
    expect(detail.definition.pairs.map((p) => p.factor)).toEqual([14.4, 6, 3, 1].map((f) => expect.closeTo(f, 9)));
    expect(detail.page).toEqual({ condition: 'ok', state: 'inactive', activeSince: null, firingSince: null });
  });

  const invalid = [
    { sentence: 'a step too small for the range', query: '?step=1s', path: 'step' },
    { sentence: 'from after to', query: `?from=${t0}&to=${t0 - 60}`, path: 'from' },
    { sentence: 'a time without an offset', query: '?to=2026-11-02T10:00:00', path: 'to' },
    { sentence: 'a step that is not a duration', query: '?step=hourly', path: 'step' },
  ];
  for (const c of invalid) {
    it(`400 for ${c.sentence}`, async () => {
      const h = await apiHarness();
      const response = await h.app.inject({ method: 'GET', url: `/api/v1/slos/checkout-availability${c.query}`, headers: readAuth });
      expect(response.statusCode).toBe(400);
      expect((response.json() as ErrorJson).error.fields?.map((f) => f.path)).toEqual([c.path]);
    });
  }
});
