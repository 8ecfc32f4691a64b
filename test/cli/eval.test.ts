import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataStatus } from '../../src/cli/format/evaluation-view.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp } from '../../src/daemon/app.js';
import { evaluateSlo } from '../../src/engine/slo-evaluation.js';
import { alertWindows } from '../../src/engine/slo-windows.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';
import { runCli } from '../support/run-cli.js';
import { testSlo } from '../support/slo-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;
const burnStart = t0 + 3600;
const db = join(dir, 'burnrate.db');

/** checkout at 10 requests/s every 30 s from `from` to `to`, all failing from burnStart on. */
function checkoutSamples(from: number, to: number): string {
  const lines: string[] = [];
  let ok = 0;
  let errors = 0;
  for (let t = from; t <= to; t += 30) {
    if (t >= burnStart) errors += 300;
    else ok += 300;
    lines.push(`http_requests_total{service="checkout",code="200"} ${ok} ${t * 1000}`);
    lines.push(`http_requests_total{service="checkout",code="500"} ${errors} ${t * 1000}`);
  }
  return lines.join('\n') + '\n';
}

/** A daemon over the same database, on a fake clock: one evaluation per `at`. */
async function daemonEvaluates(times: readonly number[]): Promise<void> {
  const config = loadConfig(join(dir, 'burnrate.yaml'), false, { db }, dir, {});
  const slos = loadSlos(['slos'], { runbookDir: 'runbooks' }).slos;
  const clock = new ManualClock(times[0]!);
  const app = createApp(config, slos, { clock, log: silentLogger, http: false });
  try {
    for (const at of times) {
      clock.set(at);
      await app.tick();
    }
  } finally {
    await app.stop();
  }
}

const evalAt = async (at: number, format: 'table' | 'json' = 'table') => {
  const result = await runCli(['eval', '--db', db, '--at', String(at), '--format', format]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};
const row = (table: string, slo: string) => table.split('\n').find((line) => line.startsWith(`${slo} `)) ?? '';

beforeAll(async () => {
  const ingest = await runCli(['ingest', '-', '--db', db, '--slos', 'slos'], { stdin: checkoutSamples(t0 - 2 * 86_400, burnStart + 3600) });
  expect(ingest.code, ingest.stderr).toBe(0);
}, 120_000);

// In order: the first test reads the database before any daemon ran, the second after.
describe('burnrate eval: the condition of this evaluation beside the alert a daemon holds', () => {
  it('without a daemon\'s state shows the condition alone and says so', async () => {
    const table = await evalAt(burnStart + 120);
    expect(table).toMatch(/no alert state: no daemon has evaluated into this database/);
    expect(table.split('\n')[2]).toMatch(/\bDATA\b.*PAGE condition\s+TICKET condition/);
    expect(row(table, 'checkout-availability')).toMatch(/99\.9%\s+complete\s.*\bburning\s+clear\s/);
    expect(table).not.toMatch(/\bok\b/);
  }, 60_000);

  it('after a daemon ran: pending while the page waits out its 2m `for`, FIRING after, in the table and the JSON', async () => {
    await daemonEvaluates([burnStart + 120, burnStart + 180]);
    const pending = await evalAt(burnStart + 180);
    expect(pending).toMatch(/alert: as the daemon held it after its evaluation at 2026-11-02T01:03:00Z/);
    expect(pending.split('\n')[2]).toMatch(/PAGE condition\/alert\s+TICKET condition\/alert/);
    // The page has waited 1 of its 2 minutes; the ticket (no `for`) fired when its 3d/6h pair began to burn.
    expect(row(pending, 'checkout-availability')).toMatch(/\bburning\/pending\s+burning\/FIRING\s/);
    const json = JSON.parse(await evalAt(burnStart + 180, 'json')) as Array<{ slo: string; alerts: { asOf: number; page: { state: string; activeSince: number | null } } | null }>;
    expect(json.find((e) => e.slo === 'checkout-availability')?.alerts).toMatchObject({ asOf: burnStart + 180, page: { state: 'pending', activeSince: burnStart + 120 } });

    await daemonEvaluates([burnStart + 240]);
    expect(row(await evalAt(burnStart + 240), 'checkout-availability')).toMatch(/\bburning\/FIRING\s/);
  }, 120_000);
});

describe('the DATA column', () => {
  const slo = testSlo({ minEvents: 100 });
  const counts = (total: number) => ({ errors: 0, total, coverage: 1 });
  const evaluation = (alertTotal: (window: number) => number, budgetTotal = 1e6, failure?: string) =>
    evaluateSlo(slo, t0, new Map(alertWindows(slo).map((w) => [w, counts(alertTotal(w))])), counts(budgetTotal), failure);

  it.each([
    ['every window with enough events is complete', evaluation(() => 1e5), 'complete'],
    ['a short window under minEvents is low traffic', evaluation((w) => (w === 300 ? 10 : 1e5)), 'low traffic'],
    ['an alert window without events is partial', evaluation((w) => (w === 300 ? 0 : 1e5)), 'partial'],
    ['no events in the SLO window is no data', evaluation(() => 0, 0), 'no data'],
    ['a failed query is a backend error', evaluation(() => 0, 0, 'connection refused'), 'backend error'],
  ] as const)('%s', (_sentence, e, expected) => {
    expect(dataStatus(e)).toBe(expected);
  });
});
