import { afterEach, describe, expect, it } from 'vitest';
import type { SloStatusView } from '../../src/daemon/routes/slo-view.js';
import { registerSloGauges } from '../../src/daemon/slo-gauges.js';
import type { GateAnswer } from '../../src/gate/gate-answer.js';
import { buildReport } from '../../src/report/build-report.js';
import { collectReportInput } from '../../src/report/collect-report-input.js';
import { weekAt, weekBounds } from '../../src/report/iso-week.js';
import type { Slo } from '../../src/slo/model.js';
import { testSlo } from '../support/slo-fixture.js';
import { apiHarness, closeHarnesses, readAuth, t0, type ApiHarness } from './api-harness.js';

afterEach(closeHarnesses);

const minute = 60;
/** A page tier that holds its burn for 2 minutes before firing; the ticket tier fires at once. */
const slo: Slo = (() => {
  const base = testSlo({ name: 'checkout-availability', service: 'checkout', labels: { team: 'payments' } });
  return { ...base, alerting: { ...base.alerting, tiers: { page: { runbook: 'checkout.md', for: 2 * minute }, ticket: { runbook: 'checkout.md', for: 0 } } } };
})();

/** 2% errors in every alert window (a page-level burn), 0.01% over the 30 days: budget left, so only the page can deny. */
const burn = (h: ApiHarness, at: number) => {
  h.clock.set(at);
  h.record(at, { [slo.name]: 0.02 }, 10, { [slo.name]: 0.0001 });
};

async function get<T>(h: ApiHarness, url: string): Promise<T> {
  const response = await h.app.inject({ method: 'GET', url, headers: readAuth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
}

async function pageFiringGauge(h: ApiHarness): Promise<number | undefined> {
  const body = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = body.split('\n').find((l) => l.startsWith('burnrate_slo_alert_firing{') && l.includes(`slo="${slo.name}"`) && l.includes('severity="page"'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

function reportedPages(h: ApiHarness, now: number) {
  const bounds = weekBounds(weekAt(t0, 'UTC'), 'UTC');
  const ledger = { windowCounts: (_slo: string, _at: number, windows: readonly number[]) => new Map(windows.map((w) => [w, { errors: 0, total: 0, coverage: 1 }])) };
  const input = collectReportInput({ evaluations: h.store, alerts: h.alerts, deploys: h.deploys, ledger }, 'payments', [slo], bounds, { deployWindow: 3600, now });
  return buildReport(input).slos[0]!;
}

describe('one alert truth: with `for: 2m` on the page tier', () => {
  it('a burn of 1 minute is pending everywhere; after 2 minutes the API, gauges, gate and report all say firing', async () => {
    const h = await apiHarness({ slos: [slo] });
    registerSloGauges(h.metrics, { slos: h.slos, store: h.store, alerts: h.alerts });

    burn(h, t0);
    burn(h, t0 + minute);
    const pending = (await get<{ slos: SloStatusView[] }>(h, '/api/v1/slos')).slos[0]!;
    // The evaluation's condition is firing; the alert is still waiting out its `for`.
    expect(pending.page).toEqual({ condition: 'firing', state: 'pending', activeSince: t0, firingSince: null });
    expect(pending.ticket).toEqual({ condition: 'firing', state: 'firing', activeSince: t0, firingSince: t0 });
    expect(await pageFiringGauge(h)).toBe(0);
    const gatePending = await get<GateAnswer>(h, `/api/v1/gate?slo=${slo.name}`);
    expect(gatePending.verdict).toBe('allow');
    expect(gatePending.slos[0]!.pageFiringSince).toBeNull();
    expect(reportedPages(h, t0 + minute).alertSummary.page).toBe(0);

    burn(h, t0 + 2 * minute);
    const firing = (await get<{ slos: SloStatusView[] }>(h, '/api/v1/slos')).slos[0]!;
    expect(firing.page).toEqual({ condition: 'firing', state: 'firing', activeSince: t0, firingSince: t0 + 2 * minute });
    expect(await pageFiringGauge(h)).toBe(1);
    const gateFiring = await get<GateAnswer>(h, `/api/v1/gate?slo=${slo.name}`);
    expect(gateFiring.verdict).toBe('deny');
    expect(gateFiring.reasons).toEqual([`${slo.name}: page alert firing since 2026-11-02T12:02:00Z`]);
    const report = reportedPages(h, t0 + 2 * minute);
    expect(report.alertSummary.page).toBe(1);
    expect(report.alerts.find((a) => a.severity === 'page')).toMatchObject({ firedAt: t0 + 2 * minute, resolvedAt: null });

    // The history holds each change once, however often the same state was evaluated.
    burn(h, t0 + 3 * minute);
    const detail = await get<{ transitions: Array<{ kind: string; severity: string; state: string; at: number }> }>(h, `/api/v1/slos/${slo.name}?from=${t0 - 60}`);
    expect(detail.transitions.filter((t) => t.kind === 'burn').map(({ severity, state, at }) => [severity, state, (at - t0) / minute])).toEqual([
      ['page', 'pending', 0],
      ['ticket', 'firing', 0],
      ['page', 'firing', 2],
    ]);
  });

  it('a burn that stops inside its `for` never fires: pending, then inactive, and nothing in the report', async () => {
    const h = await apiHarness({ slos: [slo] });
    registerSloGauges(h.metrics, { slos: h.slos, store: h.store, alerts: h.alerts });
    burn(h, t0);
    h.clock.set(t0 + minute);
    h.record(t0 + minute, { [slo.name]: 0 }, 10, { [slo.name]: 0.0001 });

    const view = (await get<{ slos: SloStatusView[] }>(h, '/api/v1/slos')).slos[0]!;
    expect(view.page).toEqual({ condition: 'ok', state: 'inactive', activeSince: null, firingSince: null });
    expect(await pageFiringGauge(h)).toBe(0);
    const page = h.alerts.history(t0, t0 + minute, slo.name).filter((t) => t.kind === 'burn' && t.severity === 'page');
    expect(page.map((t) => [t.state, t.at])).toEqual([
      ['pending', t0],
      ['inactive', t0 + minute],
    ]);
    expect(reportedPages(h, t0 + minute).alertSummary.page).toBe(0);
  });
});
