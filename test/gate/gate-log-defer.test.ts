import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { GateAnswer } from '../../src/gate/gate-answer.js';
import { GateLog } from '../../src/gate/gate-log.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { holdWriteLock } from '../support/hold-write-lock.js';

/** The fields of an answer the log stores and lists. */
const answer = (service: string): GateAnswer =>
  ({
    verdict: 'allow',
    overridden: false,
    at: '2026-11-02T12:00:00Z',
    request: { service, slos: [] },
    reasons: [],
    override: null,
    slos: [{ slo: `${service}-availability`, service }],
  }) as unknown as GateAnswer;

describe('gate log beside another writer', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (): string => {
    dir = mkdtempSync(join(tmpdir(), 'burnrate-gate-log-'));
    const path = join(dir, 'burnrate.db');
    db = openDatabase(path);
    return path;
  };

  test('defer: a decision made while another connection holds the write lock is answered at once and written after', async () => {
    const path = open();
    const log = new GateLog(db, 'defer');
    const holder = await holdWriteLock(path, 400);
    const started = performance.now();
    log.record(answer('checkout'), 'ci', 1000);
    log.record(answer('search'), 'ci', 1001);
    // Neither waited for the lock (the busy timeout is 5 s; the other writer holds it for 400 ms).
    expect(performance.now() - started).toBeLessThan(200);
    await holder.committed;
    // Written by the retry, in order, before anything reads them.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (db.prepare('SELECT count(*) FROM gate_log').pluck().get() as number) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.list().map((entry) => [entry.at, entry.asked])).toEqual([
      [1001, 'service search'],
      [1000, 'service checkout'],
    ]);
  }, 30_000);

  test('defer: list and flush write what waited, waiting for the lock', async () => {
    const path = open();
    const log = new GateLog(db, 'defer');
    const holder = await holdWriteLock(path, 300);
    log.record(answer('checkout'), 'ci', 1000);
    expect(log.list().map((entry) => entry.asked)).toEqual(['service checkout']);
    await holder.committed;
  }, 30_000);

  test('wait (the CLI): the decision is written before record returns', async () => {
    const path = open();
    const log = new GateLog(db);
    const holder = await holdWriteLock(path, 300);
    log.record(answer('checkout'), 'ci', 1000);
    expect(db.prepare('SELECT count(*) FROM gate_log').pluck().get()).toBe(1);
    await holder.committed;
  }, 30_000);
});
