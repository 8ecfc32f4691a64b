import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { readAll } from '../../src/cli/process-io.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-stdin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built binary as a CI job runs it, with `input` piped to its standard input. */
function burnrate(argv: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/burnrate.js', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const t0 = Date.parse('2026-11-02T12:00:00Z');

describe('`burnrate ingest -` run as a process', () => {
  it('reads the samples piped to it', async () => {
    const db = join(dir, 'small.db');
    const input = [`http_requests_total{code="200"} 10 ${t0}`, `http_requests_total{code="200"} 20 ${t0 + 15_000}`, `http_requests_total{code="500"} 1 ${t0}`, ''].join('\n');
    const result = await burnrate(['ingest', '-', '--db', db], input);
    expect(result).toEqual({ code: 0, stdout: `ingested 3 samples of 2 series into ${db}\n`, stderr: '' });
  }, 30_000);

  it('reads all of a large pipe, many chunks long', async () => {
    const db = join(dir, 'large.db');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`http_requests_total{service="caf\u00e9",code="200"} ${i} ${t0 + i * 15_000}`);
    const input = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(input)).toBeGreaterThan(1_000_000);
    const result = await burnrate(['ingest', '-', '--db', db], input);
    expect(result).toEqual({ code: 0, stdout: `ingested 20000 samples of 1 series into ${db}\n`, stderr: '' });
  }, 60_000);

  it('says so on stderr when the pipe is empty', async () => {
    const db = join(dir, 'empty.db');
    const result = await burnrate(['ingest', '-', '--db', db], '');
    expect(result).toEqual({ code: 0, stdout: `ingested 0 samples of 0 series into ${db}\n`, stderr: 'burnrate: warning: standard input held no samples\n' });
  }, 30_000);

  it('rejects a malformed pipe with the line number, exit 1', async () => {
    const result = await burnrate(['ingest', '-', '--db', join(dir, 'bad.db')], `up 1 ${t0}\nup{job="x" 2 ${t0}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^burnrate: standard input: .*line 2/);
  }, 30_000);
});

describe('readAll', () => {
  it('decodes a character split across two chunks', async () => {
    const bytes = Buffer.from('café\n', 'utf8');
    const split = bytes.indexOf(0xc3) + 1;
    expect(await readAll(Readable.from([bytes.subarray(0, split), bytes.subarray(split)]))).toBe('café\n');
  });
});

describe('`ingest -` where the caller wired no standard input', () => {
  it('fails (exit 1) instead of ingesting nothing', async () => {
    let stderr = '';
    const code = await run(['ingest', '-', '--db', join(dir, 'no-stdin.db')], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
    expect(code).toBe(1);
    expect(stderr).toBe('burnrate: cannot read standard input: standard input is not available to this command\n');
  });
});
