import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-dedup-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWith(yaml: string) {
  const file = join(dir, 'burnrate.yaml');
  writeFileSync(file, `apiVersion: burnrate/v1\n${yaml}`);
  return () => loadConfig(file, true, {}, dir, {});
}

describe('deploys.dedupWindow in burnrate.yaml', () => {
  it.each<[string, string, number]>([
    ['defaults to 10 minutes', '', 600],
    ['takes a duration', 'deploys:\n  dedupWindow: 2m\n', 120],
    ['0 turns it off', 'deploys:\n  dedupWindow: 0\n', 0],
    ['0s turns it off', 'deploys:\n  dedupWindow: 0s\n', 0],
  ])('%s', (_name, yaml, seconds) => {
    expect(configWith(yaml)().deploys.dedupWindow).toBe(seconds);
  });

  it('refuses a window over a day, at its line', () => {
    expect(configWith('deploys:\n  dedupWindow: 2d\n')).toThrow(/burnrate\.yaml:3:16 deploys\.dedupWindow: expected a duration between 1s and 1d, got 2d/);
  });
});
