import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createEmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { pruneGrowingTables, sampleRetention } from '../../src/daemon/retention.js';
import type { GateAnswer } from '../../src/gate/gate-answer.js';
import { GateLog } from '../../src/gate/gate-log.js';
import { openDatabase } from '../../src/store/database.js';
import { testSlo } from '../support/slo-fixture.js';
import { ingestDaemon } from './ingest-daemon.js';

const day = 86_400;
const start = Date.parse('2026-01-01T00:00:00Z') / 1000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const answer: GateAnswer = {
  verdict: 'allow',
  overridden: false,
  at: '2026-01-01T00:00:00Z',
  request: { service: 'checkout', slos: [] },
  reasons: ['checkout-availability: 80% of the budget left'],
  override: null,
  slos: [],
};

describe('retention keeps the database flat', () => {
  test('the default sample retention is the longest SLO window + the longest alert window + 1d', () => {
    expect(sampleRetention([testSlo({ window: 28 * day }), testSlo({ window: 7 * day })], undefined)).toBe(28 * day + 3 * day + day);
    expect(sampleRetention([testSlo()], 40 * day)).toBe(40 * day);
  });

  test('a simulated two months of hourly pushes and gate requests: the file stops growing once retention applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-retention-'));
    dirs.push(dir);
    const file = join(dir, 'burnrate.db');
    const db = openDatabase(file);
    const embedded = createEmbeddedBackend(db);
    const gateLog = new GateLog(db);
    const targets = { embedded, gateLog, samplesFor: sampleRetention([testSlo()], undefined), gateLogFor: 7 * day };
    const sizes = new Map<number, number>();
    for (let hour = 0; hour < 60 * 24; hour++) {
      const now = start + hour * 3600;
      const lines: string[] = [];
      for (let s = 0; s < 10; s++) for (let m = 0; m < 60; m++) lines.push(`http_requests_total{pod="p${s}"} ${hour * 60 + m} ${(now - 3600 + m * 60) * 1000}`);
      embedded.ingest(`${lines.join('\n')}\n`, { now });
      for (let g = 0; g < 30; g++) gateLog.record(answer, 'ci', now - 60 + g);
      await pruneGrowingTables(targets, now);
      if ((hour + 1) % (24 * 5) === 0) sizes.set((hour + 1) / 24, statSync(file).size);
    }
    const oldest = db.prepare('SELECT min(t) FROM samples').pluck().get() as number;
    const end = start + 60 * day - 3600;
    expect(oldest / 1000).toBeGreaterThanOrEqual(end - targets.samplesFor);
    expect(db.prepare('SELECT min(at) FROM gate_log').pluck().get()).toBeGreaterThanOrEqual(end - 7 * day);
    db.close();
    console.log(`database size by day (bytes): ${JSON.stringify(Object.fromEntries(sizes))}`);
    // Retention starts at day 34: from day 40 on, freed pages are reused and the file stays flat.
    const plateau = sizes.get(40)!;
    expect(sizes.get(60)!).toBeLessThanOrEqual(plateau * 1.05);
    expect(sizes.get(20)!).toBeLessThan(plateau);
  }, 180_000);

  test('the daemon applies retention on its hourly housekeeping', async () => {
    const now = start + 60 * day;
    const daemon = await ingestDaemon('history:\n  gateLog: 2d\n', now);
    dirs.push(daemon.dir);
    const old = `http_requests_total{pod="old"} 1 ${(now - 40 * day) * 1000}\nhttp_requests_total{pod="new"} 1 ${(now - 60) * 1000}\n`;
    createEmbeddedBackend(daemon.app.db).ingest(old, {});
    const gateLog = new GateLog(daemon.app.db);
    gateLog.record(answer, 'ci', now - 3 * day);
    gateLog.record(answer, 'ci', now - day);
    daemon.clock.advance(3600);
    await daemon.app.tick();
    expect(daemon.app.db.prepare('SELECT labels_key FROM sample_series').pluck().all()).toEqual(['[["__name__","http_requests_total"],["pod","new"]]']);
    expect(daemon.app.db.prepare('SELECT count(*) FROM gate_log').pluck().get()).toBe(1);
    await daemon.close();
  });
});
