import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { ingestDaemon, seriesText, type IngestDaemon } from './ingest-daemon.js';

const start = Date.parse('2026-11-02T12:00:00Z') / 1000;
const limits = `backend:\n  embedded:\n    limits: {seriesPerPush: 100, samplesPerPush: 300, series: 250}\n`;

describe('ingest limits refuse a push whole, naming the limit and by how much', () => {
  let daemon: IngestDaemon | undefined;
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
  });

  test('over seriesPerPush: 413 over_limit, nothing stored', async () => {
    daemon = await ingestDaemon(limits, start);
    const answer = await daemon.push(seriesText(101, start * 1000));
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('over_limit');
    expect(answer.body.error.message).toMatch(/more than 100 series.*nothing was stored.*backend\.embedded\.limits\.seriesPerPush = 100/);
    expect(daemon.app.db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
  });

  test('over samplesPerPush: 413, nothing stored', async () => {
    daemon = await ingestDaemon(limits, start);
    const lines = Array.from({ length: 301 }, (_, i) => `g{a="1"} ${i} ${(start - 600) * 1000 + i}`).join('\n');
    const answer = await daemon.push(`${lines}\n`);
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toMatch(/more than 300 samples.*samplesPerPush = 300/);
    expect(daemon.app.db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
  });

  test('over the store total: the exact overshoot, and the pushes before it stay', async () => {
    daemon = await ingestDaemon(limits, start);
    expect((await daemon.push(seriesText(100, start * 1000, 0))).status).toBe(200);
    expect((await daemon.push(seriesText(100, start * 1000, 100))).status).toBe(200);
    const answer = await daemon.push(seriesText(60, start * 1000, 200));
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toMatch(/adds 60 new series to the 200 stored: 260 would be 10 over the store's limit of 250/);
    expect(daemon.app.db.prepare('SELECT count(*) FROM sample_series').pluck().get()).toBe(200);
    // Samples of series already stored are not new series: they are still accepted at the limit.
    expect((await daemon.push(seriesText(100, start * 1000 + 60_000, 0))).body).toMatchObject({ series: 100, samples: 100 });
  });

  test('the CLI applies the same limits: exit 1, nothing stored', async () => {
    daemon = await ingestDaemon(limits, start);
    await daemon.app.stop();
    const file = join(daemon.dir, 'big.prom');
    writeFileSync(file, seriesText(101, start * 1000));
    const result = await runCli(['ingest', file, '--config', join(daemon.dir, 'burnrate.yaml'), '--db', join(daemon.dir, 'burnrate.db')], { now: start });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/more than 100 series.*seriesPerPush = 100/);
    writeFileSync(file, seriesText(100, start * 1000));
    const atLimit = await runCli(['ingest', file, '--config', join(daemon.dir, 'burnrate.yaml'), '--db', join(daemon.dir, 'burnrate.db')], { now: start });
    expect(atLimit.stdout).toMatch(/^ingested 100 samples of 100 series/);
    expect(atLimit.code).toBe(0);
  });

  test('the CLI stores a file over samplesPerPush in batches once the whole file has parsed', async () => {
    daemon = await ingestDaemon(limits, start);
    await daemon.app.stop();
    const file = join(daemon.dir, 'backfill.prom');
    writeFileSync(file, Array.from({ length: 700 }, (_, i) => `g{a="1"} ${i} ${(start - 3600) * 1000 + i * 1000}`).join('\n') + '\n');
    const args = ['--config', join(daemon.dir, 'burnrate.yaml'), '--db', join(daemon.dir, 'burnrate.db')];
    const result = await runCli(['ingest', file, ...args], { now: start });
    expect(result.stdout).toMatch(/^ingested 700 samples of 1 series/);
    writeFileSync(file, `${readFileSync(file, 'utf8')}g{a="1"} oops\n`);
    const bad = await runCli(['ingest', file, ...args], { now: start });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/line 701: .*nothing was ingested/);
  });

  test('a bad limit in burnrate.yaml is a config error', async () => {
    await expect(ingestDaemon('backend:\n  embedded:\n    limits: {series: 0}\n', start)).rejects.toThrow(/limits\.series/);
  });
});
