import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entrypointCommand, imagePaths, missingMountExit, type MountProbe } from '../../src/docker/entrypoint.js';

const root = join(import.meta.dirname, '../..');
const probe = (files: string[], dirs: string[]): MountProbe => ({ isFile: (p) => files.includes(p), hasEntries: (p) => dirs.includes(p) });
const daemon = ['run', '--db', '/data/burnrate.db', '--listen', '0.0.0.0:9464'];

describe('the image entrypoint', () => {
  it.each([
    ['a mounted burnrate.yaml is the daemon\'s config', [imagePaths.config], [imagePaths.slos], { argv: [...daemon, '--config', '/app/burnrate.yaml'] }],
    ['a mounted config without its own slos mount still uses the config (it says where its SLOs are)', [imagePaths.config], [], { argv: [...daemon, '--config', '/app/burnrate.yaml'] }],
    ['only SLO files mounted: the defaults over /app/slos, said on stderr', [], [imagePaths.slos], { argv: daemon, note: expect.stringContaining('no /app/burnrate.yaml mounted') }],
    ['nothing mounted: refuse with what to mount', [], [], { error: expect.stringContaining('-v "$PWD/burnrate.yaml:/app/burnrate.yaml:ro"'), exitCode: 78 }],
  ])('%s', (_sentence, files, dirs, expected) => {
    expect(entrypointCommand([], probe(files, dirs))).toEqual(expected);
  });

  it('passes arguments through as a burnrate command line, whatever is mounted', () => {
    expect(entrypointCommand(['validate', '--config', '/app/burnrate.yaml'], probe([], []))).toEqual({ argv: ['validate', '--config', '/app/burnrate.yaml'] });
  });

  it('as a process without mounts (none here either): exit 78 and the message, no evaluation', () => {
    const result = spawnSync(process.execPath, [join(root, 'dist/docker/entrypoint.js')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(missingMountExit);
    expect(result.stderr).toContain('nothing to evaluate: neither /app/burnrate.yaml nor /app/slos is mounted');
    expect(result.stdout).toBe('');
  });

  it('as a process with arguments: runs that burnrate command', () => {
    const result = spawnSync(process.execPath, [join(root, 'dist/docker/entrypoint.js'), 'validate', join(root, 'slos')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr + result.stdout).toBe(0);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('builds and runs on a maintained Node.js LTS line (22 or 24), not Node 20', () => {
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    expect(bases.length).toBe(2);
    for (const major of bases) expect([22, 24]).toContain(major);
  });

  it('ships no SLOs or runbooks of its own, and starts through the entrypoint', () => {
    expect(dockerfile).not.toMatch(/^COPY (slos|runbooks)\b/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/docker\/entrypoint.js"\]$/m);
    expect(dockerfile).not.toMatch(/^CMD /m);
  });
});
