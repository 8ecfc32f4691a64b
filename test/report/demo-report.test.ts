import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { AlertTracker } from '../../src/alerting/alert-tracker.js';
import { createEmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { loadScenario, resolveScenario, serviceProfiles, simulateService } from '../../src/demo/index.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { runCycle } from '../../src/engine/evaluation-cycle.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { buildReport } from '../../src/report/build-report.js';
import { collectReportInput } from '../../src/report/collect-report-input.js';
import { lastCompleteWeek, weekBounds } from '../../src/report/iso-week.js';
import type { WeeklyReport } from '../../src/report/report-model.js';
import { loadSlos } from '../../src/slo/load.js';
import { errorBudget } from '../../src/slo/model.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';

// The demo scenario as scripts/report-example.mjs builds it: 35 days ending Monday 23 Nov 2026 09:00 Berlin,
// loaded into the embedded store, the engine replayed at 5-minute steps, the report of 2026-W47.
const now = Date.parse('2026-11-23T09:00:00+01:00') / 1000;
const day = 86_400;
const step = 300;
const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-report-'));
const root = join(import.meta.dirname, '../..');
let db: Db;
let report: WeeklyReport;
const bounds = weekBounds(lastCompleteWeek(now, 'Europe/Berlin'), 'Europe/Berlin');

beforeAll(async () => {
  db = openDatabase(join(dir, 'burnrate.db'));
  const loaded = await loadScenario(createEmbeddedBackend(db), { end: now, days: 35, scrapeInterval: 30, samplesPerPush: 100_000, now });
  expect(loaded.rejected).toBe(0);
  const slos = loadSlos([join(root, 'slos')], { runbookDir: join(root, 'runbooks') }).slos.filter((s) => s.labels.team === 'payments');
  const deploys = new DeployStore(db);
  const fastBurn = resolveScenario({ end: now, days: 35 }).plans.find((p) => p.kind === 'fast-burn')!;
  deploys.record({ service: 'checkout', version: 'checkout-v42', finishedAt: fastBurn.start - 600 }, 0);
  deploys.record({ service: 'checkout', version: 'checkout-v43', finishedAt: bounds.start + 2 * day + 11 * 3600 }, 0);
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const tracker = new AlertTracker(slos, alerts, { noDataAfter: 600, noDataSeverity: 'ticket' });
  const ledger = new SqliteLedger(db);
  const parts = { slos, backend: createEmbeddedBackend(db), ledger, settings: { bucket: step, coarseBucket: 3600, fineSpan: day, lateness: 0 }, concurrency: 2 };
  const end = Math.floor(now / step) * step;
  for (let from = Math.ceil((end - 35 * day + 3600) / step) * step; from <= end; from += day) {
    const { evaluations } = await runCycle(parts, Math.min(from + day - step, end), from);
    db.transaction(() => {
      store.recordCycle(evaluations);
      tracker.apply(evaluations);
    })();
  }
  report = buildReport(collectReportInput({ evaluations: store, alerts, deploys, ledger }, 'payments', slos, bounds, { deployWindow: 4 * 3600, now }));
}, 120_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Checkout's errors and requests in (from, to], counted by the generator itself, not through PromQL or the engine. */
function generated(from: number, to: number): { errors: number; total: number } {
  const scenario = resolveScenario({ end: now, days: 35, scrapeInterval: 30 });
  let errors = 0;
  let total = 0;
  for (const tick of simulateService(scenario, serviceProfiles.find((p) => p.service === 'checkout')!)) {
    if (tick.t <= from || tick.t > to) continue;
    errors += tick.interval.errors;
    total += tick.interval.ok + tick.interval.errors;
  }
  return { errors, total };
}

describe('the weekly report on demo data', () => {
  it('checkout: the SLI of the week and budget remaining at both ends match the generator\'s own counts', () => {
    const checkout = report.slos.find((s) => s.slo === 'checkout-availability')!;
    const budget = errorBudget({ objective: checkout.objective });
    const week = generated(bounds.start, bounds.end);
    expect(checkout.sliWeek).toBeCloseTo(1 - week.errors / week.total, 4);
    const remaining = (t: number) => {
      const counts = generated(t - checkout.window, t);
      return 1 - counts.errors / counts.total / budget;
    };
    expect(Math.abs(checkout.budgetStart! - remaining(bounds.start))).toBeLessThan(0.01);
    expect(Math.abs(checkout.budgetEnd! - remaining(bounds.end))).toBeLessThan(0.01);
    expect(checkout.consumed!).toBeGreaterThan(0.1);
  });

  it('budget consumed is the difference of budget remaining at the ends of the week, and deploy attribution adds up', () => {
    for (const slo of report.slos) {
      expect(slo.consumed, slo.slo).toBeCloseTo(slo.budgetStart! - slo.budgetEnd!, 12);
      const attributed = slo.deploys.reduce((sum, d) => sum + d.consumed, 0) + slo.notAfterDeploy;
      expect(attributed, slo.slo).toBeCloseTo(slo.consumed!, 9);
    }
  });

  it('charges the fast burn to the deploy before it, and pages for it', () => {
    const checkout = report.slos.find((s) => s.slo === 'checkout-availability')!;
    expect(checkout.deploys[0]?.deploy.version).toBe('checkout-v42');
    expect(checkout.deploys[0]!.consumed).toBeGreaterThan(0.5 * checkout.consumed!);
    expect(checkout.alertSummary.page).toBeGreaterThanOrEqual(1);
    expect(report.slos[0]!.slo).toBe('checkout-availability');
  });
});
