import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { openDatabase, writeTransaction, type Db } from '../../src/store/database.js';
import { holdWriteLock } from '../support/hold-write-lock.js';

/**
 * Another connection (the embedded store's ingest worker, the CLI) holds the write lock and commits while a
 * daemon write reads first: a deferred transaction that read an older snapshot cannot take the lock afterwards
 * (SQLITE_BUSY at once, whatever the busy timeout); a write transaction must start IMMEDIATE and wait its turn.
 */
describe('write transactions beside another writer', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (): Db => {
    dir = mkdtempSync(join(tmpdir(), 'burnrate-write-tx-'));
    db = openDatabase(join(dir, 'burnrate.db'));
    db.exec('CREATE TABLE other_writer (note TEXT)');
    return db;
  };

  test('a ledger append that reads its last bucket first waits for the lock instead of failing', async () => {
    const ledger = new SqliteLedger(open());
    ledger.reset('checkout', 'f1');
    ledger.append('checkout', [{ end: 60, width: 60, errors: 1, total: 10 }]);
    const holder = await holdWriteLock(join(dir, 'burnrate.db'), 300);
    ledger.append('checkout', [{ end: 120, width: 60, errors: 2, total: 10 }]);
    await holder.committed;
    expect(ledger.lastBucketEnd('checkout')).toBe(120);
    expect(db.prepare('SELECT count(*) FROM other_writer').pluck().get()).toBe(1);
  }, 30_000);

  test('writeTransaction: read, then write, while another connection commits', async () => {
    open().exec('CREATE TABLE counter (n INTEGER)');
    db.exec('INSERT INTO counter VALUES (0)');
    const holder = await holdWriteLock(join(dir, 'burnrate.db'), 300);
    writeTransaction(db, () => {
      const n = db.prepare('SELECT n FROM counter').pluck().get() as number;
      db.prepare('UPDATE counter SET n = ?').run(n + 1);
    });
    await holder.committed;
    expect(db.prepare('SELECT n FROM counter').pluck().get()).toBe(1);
  }, 30_000);

  test('a deferred transaction in the same situation fails at once: what the rule prevents', async () => {
    open().exec('CREATE TABLE counter (n INTEGER)');
    db.exec('INSERT INTO counter VALUES (0)');
    const holder = await holdWriteLock(join(dir, 'burnrate.db'), 300);
    const deferred = db.transaction(() => {
      const n = db.prepare('SELECT n FROM counter').pluck().get() as number;
      db.prepare('UPDATE counter SET n = ?').run(n + 1);
    });
    expect(() => deferred()).toThrow(/database is locked/);
    await holder.committed;
  }, 30_000);
});
