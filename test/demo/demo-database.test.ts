import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp } from '../../src/daemon/app.js';
import { buildDemo, type DemoResult, type DemoStage } from '../../src/demo/index.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';

// A Wednesday: the fast burn (two days earlier) falls on Monday 23 Nov, so the daemon runs from the evening before
// that ISO week (2026-W48) to the end, about two and a half days of one-minute steps.
const end = Date.parse('2026-11-25T12:00:00Z') / 1000;
const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-'));
const stages: DemoStage[] = [];
let demo: DemoResult;

beforeAll(async () => {
  demo = await buildDemo({ root, dir: join(dir, '.demo'), end, onStage: (stage) => stage.stage !== 'cycle' && stages.push(stage) });
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], at = end + 60): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: {} };
  const code = await run([...args, '--db', demo.db, '--slos', join(root, 'slos')], io, new ManualClock(at));
  return { code, out: out.join('') };
}

describe('the demo database', () => {
  it('holds every sample of the scenario, loaded within the embedded store\'s per-push limit', () => {
    const loaded = stages.find((s) => s.stage === 'loaded');
    expect(loaded).toMatchObject({ samples: 35 * 2880 * 14, rejected: 0 });
    expect(demo.samples).toBe(35 * 2880 * 14);
  });

  it('was evaluated by the daemon\'s cycle from before the fast burn\'s week to the end, with alerts', () => {
    expect(demo.daemon.from).toBe(Date.parse('2026-11-22T18:00:00Z') / 1000);
    expect(demo.daemon.to).toBe(end);
    expect(demo.daemon.transitions).toBeGreaterThan(0);
    expect(demo.deploys.some((d) => d.service === 'checkout' && d.finishedAt < demo.incidents.find((i) => i.kind === 'fast-burn')!.start)).toBe(true);
  });

  it('lets the gate decide (allow or deny, not "cannot decide")', async () => {
    const { code, out } = await cli(['gate', '--service', 'checkout']);
    expect([0, 1], out).toContain(code);
    expect(out).toMatch(/^(ALLOW|DENY)/);
    expect(out).not.toContain('no stored evaluation');
  });

  it('gives the fast burn\'s week a report with its page and the deploy before it', async () => {
    const { code, out } = await cli(['report', '--week', '2026-W48', '--team', 'payments']);
    expect(code, out).toBe(0);
    const fired = Number(/(\d+) alerts? fired \((\d+) pages?\)/.exec(out)?.[2]);
    expect(fired, out).toBeGreaterThanOrEqual(1);
    expect(out).toMatch(/page {2}Mon 23 Nov \d\d:\d\d -> Mon 23 Nov/);
    expect(out).toContain('v2.14.0 (');
    expect(out).not.toContain('n/a');
  });

  it('eval shows the alert state the daemon stored', async () => {
    const { code, out } = await cli(['eval', '--format', 'json', '--at', String(end)]);
    expect(code, out).toBe(0);
    const evaluations = JSON.parse(out) as Array<{ slo: string; alerts: unknown }>;
    expect(evaluations).toHaveLength(5);
    for (const evaluation of evaluations) expect(evaluation.alerts, evaluation.slo).not.toBeNull();
  });

  it('serves budgets for every SLO on the daemon\'s API', async () => {
    const config = loadConfig(join(root, 'absent.yaml'), false, { db: demo.db, slos: join(root, 'slos') }, root, {});
    const { slos } = loadSlos(config.slos, { runbookDir: config.runbooks });
    const app = createApp(config, slos, { clock: new ManualClock(end + 60), log: silentLogger, listen: { host: '127.0.0.1', port: 0 } });
    try {
      await app.start();
      const response = await fetch(`${app.address()}/api/v1/slos`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { slos?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
      const list = Array.isArray(body) ? body : (body.slos ?? []);
      expect(list).toHaveLength(5);
      for (const slo of list) expect(JSON.stringify(slo), String(slo.name)).toMatch(/"budgetRemaining(Percent)?":-?\d/);
    } finally {
      await app.stop();
    }
  });
});
