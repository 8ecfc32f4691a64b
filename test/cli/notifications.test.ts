import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-notifications-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('burnrate notifications ls', () => {
  it('lists the outbox, and with --failed only what was given up, with the reason', async () => {
    const db = join(dir, 'burnrate.db');
    const handle = openDatabase(db);
    const store = new NotifyStore(handle);
    const planned = (id: string) => ({
      id,
      receiver: 'payments',
      groupKey: 'root:{slo="checkout-availability"}',
      groupLabels: { slo: 'checkout-availability' },
      status: 'firing' as const,
      createdAt: 1_793_610_000,
      alerts: [],
    });
    for (const [id, integration] of [['ntf_a', 'payments/slack'], ['ntf_b', 'payments/email']] as const) {
      store.plan({ groupId: `g-${integration}`, integration, entry: { firing: ['f'], resolved: [], sentAt: 1_793_610_000, incident: id }, outbox: { id, incident: id, reason: 'first', notification: planned(id), at: 1_793_610_000 } });
    }
    store.markFailed('ntf_a', 1_793_610_005, 'rejected: Slack chat.postMessage answered ok:false: channel_not_found');
    handle.close();

    const all = await runCli(['notifications', 'ls', '--db', db]);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(3);
    const failed = await runCli(['notifications', 'ls', '--failed', '--db', db, '--format', 'json']);
    const rows = JSON.parse(failed.stdout) as Array<{ id: string; state: string; lastError: string }>;
    expect(rows.map((r) => [r.id, r.state])).toEqual([['ntf_a', 'failed']]);
    expect(rows[0]!.lastError).toMatch(/channel_not_found/);
    expect(await runCli(['notifications', 'ls', '--state', 'lost', '--db', db])).toMatchObject({ code: 64 });
  });
});
