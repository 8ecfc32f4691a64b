import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { AlertStore } from '../src/alerting/alert-store.js';
import type { Alert } from '../src/alerting/alert.js';
import type { WindowCounts } from '../src/core/burn-rate.js';
import { gateRoutes } from '../src/daemon/routes/gate.js';
import { evaluateSlo, type SloEvaluation } from '../src/engine/slo-evaluation.js';
import { alertWindows } from '../src/engine/slo-windows.js';
import { GateLog } from '../src/gate/gate-log.js';
import { defaultGateConfig } from '../src/gate/gate-policy.js';
import { OverrideStore } from '../src/gate/override-store.js';
import { errorBudget, type Slo } from '../src/slo/model.js';
import { openDatabase, type Db } from '../src/store/database.js';
import { EvaluationStore } from '../src/engine/evaluation-store.js';
import { benchSlos } from './bench-slos.js';
import { rereadGateRoute } from './gate-reread.js';

export interface GateBenchSizes {
  slos: number;
  services: number;
  /** Seconds of evaluation history stored, and the step between stored evaluations. */
  history: number;
  step: number;
  /** Seconds of each load run. */
  seconds: number;
  rate: number;
}

export const gateFullSizes: GateBenchSizes = { slos: 1000, services: 100, history: 86_400, step: 300, seconds: 10, rate: 500 };
export const gateQuickSizes: GateBenchSizes = { slos: 100, services: 10, history: 86_400, step: 300, seconds: 3, rate: 500 };

export interface LoadRun {
  /** `stored` answers from the latest evaluation, `reread` from the re-read history. */
  route: 'stored' | 'reread';
  /** Requests per second asked for; undefined for as many as the server takes. */
  rate: number | undefined;
  connections: number;
  requests: number;
  p50: number;
  p99: number;
  throughput: number;
  failures: number;
}

export interface GateBenchResult {
  sizes: GateBenchSizes;
  rows: number;
  databaseBytes: number;
  setupMillis: number;
  runs: LoadRun[];
}

const events = 1_000_000;

/** Every 7th SLO overspent, every 11th burning at 3×, the rest healthy: the answers carry reasons. */
function shapedEvaluation(slo: Slo, index: number, at: number): SloEvaluation {
  const budget = errorBudget(slo);
  const left = index % 7 === 0 ? -0.2 : 0.6;
  const burn = index % 11 === 0 ? 3 : 0.4;
  const counts = (ratio: number): WindowCounts => ({ errors: ratio * events, total: events, coverage: 1 });
  return evaluateSlo(slo, at, new Map(alertWindows(slo).map((w) => [w, counts(burn * budget)])), counts((1 - left) * budget));
}

function fillHistory(db: Db, slos: readonly Slo[], sizes: GateBenchSizes, now: number): number {
  const store = new EvaluationStore(db);
  const templates = slos.map((slo, i) => shapedEvaluation(slo, i, now));
  let rows = 0;
  for (let at = now - sizes.history + sizes.step; at <= now; at += sizes.step) {
    store.recordCycle(templates.map((template) => ({ ...template, at })));
    rows += templates.length;
  }
  const alerts = new AlertStore(db);
  slos.forEach((slo, i) => {
    if (i % 13 !== 0) return;
    const alert: Alert = { fingerprint: `page-${slo.name}`, labels: { slo: slo.name }, kind: 'burn', slo: slo.name, severity: 'page', state: 'firing', activeAt: now - 900, firedAt: now - 600, resolvedAt: null, updatedAt: now };
    alerts.replaceForSlo(slo.name, new Map([[alert.fingerprint, alert]]), { at: now, status: 'ok', budgetRemaining: 0.5, timeToExhaustion: null, errorRatio: 0, pairs: [] });
  });
  return rows;
}

async function load(url: string, services: readonly string[], route: LoadRun['route'], rate: number | undefined, seconds: number): Promise<LoadRun> {
  const path = route === 'stored' ? '/api/v1/gate' : '/bench/gate-reread';
  const connections = rate === undefined ? 16 : 10;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate !== undefined && { overallRate: rate }),
    // The load generator runs in its own thread, so it does not share the server's event loop.
    workers: 1,
    requests: services.map((service) => ({ method: 'GET', path: `${path}?service=${service}` })),
  });
  return {
    route,
    rate,
    connections,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    throughput: result.requests.total / seconds,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * `GET /api/v1/gate?service=…` on loopback against a database of `sizes.slos` SLOs with a day of history, at a
 * fixed rate and at the most the server takes; then the same for the re-read alternative.
 */
export async function gateBench(sizes: GateBenchSizes, log: (message: string) => void): Promise<GateBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-gate-bench-'));
  const path = join(dir, 'gate.db');
  const db = openDatabase(path);
  try {
    const slos = benchSlos(sizes.slos, { services: sizes.services, routes: Math.ceil(sizes.slos / sizes.services) });
    const now = Math.floor(Date.now() / 1000 / 60) * 60;
    const started = performance.now();
    const rows = fillHistory(db, slos, sizes, now);
    const setupMillis = performance.now() - started;
    const databaseBytes = statSync(path).size;
    log(`gate: ${rows.toLocaleString('en-US')} stored evaluations (${(databaseBytes / 2 ** 20).toFixed(0)} MiB) written in ${(setupMillis / 1000).toFixed(1)} s`);

    const evaluations = new EvaluationStore(db);
    const alerts = new AlertStore(db);
    const overrides = new OverrideStore(db);
    const gateLog = new GateLog(db);
    const clock = { now: () => now + 30 };
    const app = Fastify({ logger: false });
    await app.register(gateRoutes, {
      sources: { slos, evaluations, alerts, config: defaultGateConfig },
      overrides,
      log: gateLog,
      clock,
      authorize: Object.assign(() => true, { tokenName: () => 'bench' }),
    });
    await app.register(rereadGateRoute, { slos, evaluations, alerts, overrides, log: gateLog, config: defaultGateConfig, lookback: sizes.history, now: clock.now });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const services = [...new Set(slos.map((slo) => slo.service))];
    const probe = await app.inject({ url: `/api/v1/gate?service=${services[0]!}` });
    if (probe.statusCode !== 200) throw new Error(`gate probe answered ${probe.statusCode}: ${probe.body}`);
    try {
      const runs: LoadRun[] = [];
      for (const route of ['stored', 'reread'] as const) {
        // Warm-up (JIT, SQLite page cache), not recorded.
        await load(url, services, route, undefined, 2);
        for (const rate of [sizes.rate, undefined]) {
          log(`gate: ${route}, ${rate === undefined ? 'max throughput' : `${rate} req/s`}, ${sizes.seconds} s`);
          runs.push(await load(url, services, route, rate, sizes.seconds));
        }
      }
      return { sizes, rows, databaseBytes, setupMillis, runs };
    } finally {
      await app.close();
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
