import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WindowCounts } from '../src/core/burn-rate.js';
import { EvaluationStore } from '../src/engine/evaluation-store.js';
import { evaluateSlo, type SloEvaluation } from '../src/engine/slo-evaluation.js';
import { alertWindows } from '../src/engine/slo-windows.js';
import { SqliteLedger } from '../src/ledger/sqlite-ledger.js';
import type { Slo } from '../src/slo/model.js';
import { openDatabase, type Db } from '../src/store/database.js';
import { benchSlos } from './bench-slos.js';
import { formatTable } from './table.js';

const minute = 60;
const hour = 3600;
const day = 86_400;
/** The daemon's defaults: evaluation history at full resolution for 2 days, hourly after; ledger rows per minute for a day, hourly after. */
const defaults = { fullResolution: 2 * day, downsampleTo: hour, retention: 30 * day, fineSpan: day, coarseBucket: hour };

export interface StorageBenchResult {
  slos: number;
  days: number;
  /** Evaluations written, and rows of them kept after housekeeping. */
  written: number;
  kept: number;
  /** Bytes of the evaluation table per kept row (SQLite's own page accounting). */
  bytesPerEvaluation: number;
  /** The same rows in the former layout (JSON detail in every row, SLO names as text). */
  formerBytesPerEvaluation: number;
  /** The whole database file after the simulated days (evaluations, ledger, every table). */
  databaseBytes: number;
  seconds: number;
}

/** Evaluations of one SLO at a few error ratios, so rows differ as a real day's do; `at` is set per step. */
function templates(slo: Slo): SloEvaluation[] {
  return [0.0004, 0.001, 0.003, 0.02].map((ratio) => {
    const counts = (seconds: number): WindowCounts => ({ errors: ratio * 37 * seconds, total: 37 * seconds, coverage: 1 });
    return evaluateSlo(slo, 0, new Map(alertWindows(slo).map((w) => [w, counts(w)])), counts(slo.window));
  });
}

/** Bytes SQLite's pages hold for the named tables and their indexes. */
function tableBytes(db: Db, names: readonly string[]): number {
  const rows = db.prepare(`SELECT sum(pgsize) AS bytes FROM dbstat WHERE name IN (${names.map(() => '?').join(', ')})`).get(...names) as { bytes: number | null };
  return rows.bytes ?? 0;
}

/** The former layout's evaluations table, written the way the store used to write it. */
function formerBytesPerRow(slos: readonly Slo[], steps: number): number {
  const db = openDatabase(':memory:');
  db.exec(`CREATE TABLE evaluations (slo TEXT NOT NULL, t INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, budget_remaining REAL,
    error_ratio REAL, time_to_exhaustion REAL, burn_rate REAL, coverage REAL NOT NULL, page TEXT, ticket TEXT, detail TEXT NOT NULL,
    PRIMARY KEY (slo, t)) WITHOUT ROWID; CREATE INDEX evaluations_t ON evaluations (t, status);`);
  const insert = db.prepare('INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const byslo = slos.map(templates);
  for (let step = 0; step < steps; step += 1) {
    db.transaction(() => {
      slos.forEach((slo, i) => {
        const e = byslo[i]![(step >> 6) % 4]!;
        const state = (severity: string) => e.severities.find((s) => s.severity === severity)?.state ?? null;
        const detail = JSON.stringify({ windows: e.windows, severities: e.severities, budget: e.budget });
        insert.run(slo.name, step * minute, e.status, null, e.budget.remaining, e.budget.errorRatio, e.budget.timeToExhaustion, e.budget.burnRate, e.budget.coverage, state('page'), state('ticket'), detail);
      });
    })();
  }
  const bytes = tableBytes(db, ['evaluations', 'evaluations_t']) / (steps * slos.length);
  db.close();
  return bytes;
}

/**
 * Storage of a daemon's database: `slos` SLOs evaluated once a minute for `days` simulated days, with the ledger's
 * buckets appended and housekeeping run every simulated hour at the default settings, as the daemon does.
 */
export function storageBench(quick: boolean): StorageBenchResult {
  const started = performance.now();
  const slosCount = quick ? 20 : 100;
  const days = quick ? 4 : 30;
  const slos = benchSlos(slosCount, { services: 10, routes: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-storage-'));
  try {
    const path = join(dir, 'burnrate.db');
    const db = openDatabase(path);
    const evaluations = new EvaluationStore(db);
    const ledger = new SqliteLedger(db);
    for (const slo of slos) ledger.reset(slo.name, 'bench');
    const byslo = slos.map(templates);
    const start = Math.floor(Date.parse('2026-11-01T00:00:00Z') / 1000);
    const steps = (days * day) / minute;
    for (let step = 1; step <= steps; step += 1) {
      const at = start + step * minute;
      const cycle = slos.map((slo, i) => ({ ...byslo[i]![(step >> 6) % 4]!, slo: slo.name, at }));
      evaluations.recordCycle(cycle);
      db.transaction(() => {
        for (const slo of slos) ledger.append(slo.name, [{ end: at, width: minute, errors: 1 + (step % 7), total: 2200 }]);
      })();
      if (at % hour === 0) {
        for (const slo of slos) {
          ledger.thin(slo.name, at - defaults.fineSpan, defaults.coarseBucket);
          ledger.drop(slo.name, at - slo.window - defaults.coarseBucket);
        }
        evaluations.compact(at, { fullResolution: defaults.fullResolution, downsampleTo: defaults.downsampleTo, keepFor: 30 * day + defaults.retention });
      }
    }
    const kept = (db.prepare('SELECT count(*) AS n FROM evaluations').get() as { n: number }).n;
    const bytesPerEvaluation = tableBytes(db, ['evaluations']) / kept;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.close();
    const databaseBytes = statSync(path).size;
    const formerBytesPerEvaluation = formerBytesPerRow(slos.slice(0, 20), quick ? 360 : 1440);
    return { slos: slosCount, days, written: steps * slosCount, kept, bytesPerEvaluation, formerBytesPerEvaluation, databaseBytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The storage figures, with the projection to 1,000 SLOs (rows and ledger both grow linearly in SLOs). */
export function storageTable(r: StorageBenchResult): string {
  const perSloDay = r.databaseBytes / r.slos / r.days;
  const thousand = (r.databaseBytes / r.slos) * 1000;
  return formatTable(
    ['measure', 'value', 'target'],
    [
      ['bytes per stored evaluation', `${r.bytesPerEvaluation.toFixed(0)} (former layout ${r.formerBytesPerEvaluation.toFixed(0)}: ${(r.formerBytesPerEvaluation / r.bytesPerEvaluation).toFixed(1)}× more)`, `≤ 200: ${r.bytesPerEvaluation <= 200 ? 'pass' : 'FAIL'}`],
      [`database, ${r.slos} SLOs after ${r.days} days`, `${mb(r.databaseBytes)} (${r.kept.toLocaleString('en-US')} of ${r.written.toLocaleString('en-US')} evaluations kept)`, ''],
      ['bytes per SLO per day', `${Math.round(perSloDay).toLocaleString('en-US')}`, ''],
      [`database, 1,000 SLOs after ${r.days} days (× ${1000 / r.slos})`, mb(thousand), r.days >= 30 ? `< 2 GiB: ${thousand < 2 * 2 ** 30 ? 'pass' : 'FAIL'}` : '(30 days in the full run)'],
    ],
  );
}
