import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil } from '../support/local-process.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-sighup-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sloNames = async (base: string): Promise<string[]> => {
  const answer = (await (await fetch(`${base}/api/v1/slos`)).json()) as { slos: Array<{ name: string }> };
  return answer.slos.map((slo) => slo.name).sort();
};

describe('SIGHUP on the built daemon process', () => {
  it('reloads the SLO files: a new file is served after the signal, a broken one keeps the running set', async () => {
    const root = join(import.meta.dirname, '../..');
    mkdirSync(join(dir, 'slos'));
    copyFileSync(join(root, 'slos', 'catalog.yaml'), join(dir, 'slos', 'catalog.yaml'));
    const port = await freePort();
    writeFileSync(join(dir, 'burnrate.yaml'), [`slos: slos`, `runbooks: ${join(root, 'runbooks')}`, `database: burnrate.db`, ''].join('\n'));
    const child = spawn(process.execPath, [join(root, 'bin/burnrate.js'), 'run', '--config', join(dir, 'burnrate.yaml'), '--listen', `127.0.0.1:${port}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let logs = '';
    child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    await pollUntil('readiness', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 60_000);
    expect(await sloNames(base)).toEqual(['catalog-availability']);

    copyFileSync(join(root, 'slos', 'search.yaml'), join(dir, 'slos', 'search.yaml'));
    child.kill('SIGHUP');
    await pollUntil('the reloaded SLOs', async () => ((await sloNames(base)).length === 3 ? true : undefined), 60_000);
    expect(await sloNames(base)).toEqual(['catalog-availability', 'search-availability', 'search-latency']);

    writeFileSync(join(dir, 'slos', 'broken.yaml'), readFileSync(join(root, 'slos', 'catalog.yaml'), 'utf8').replace('objective: 99.9', 'objective: 100'));
    child.kill('SIGHUP');
    await pollUntil('the failed reload in the log', async () => (/reload/i.test(logs) && /objective/.test(logs) ? true : undefined), 60_000);
    expect(await sloNames(base)).toEqual(['catalog-availability', 'search-availability', 'search-latency']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^burnrate_config_last_reload_successful 0$/m);

    child.kill('SIGTERM');
    expect(await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))).toBe(0);
  }, 120_000);
});
