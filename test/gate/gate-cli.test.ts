import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GateAnswer } from '../../src/gate/gate-answer.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { openDatabase } from '../../src/store/database.js';
import { evaluation, firePage, record, t0, writeProject, type Shape } from './gate-fixture.js';
import { gateCli, projectSlos } from './gate-cli-harness.js';

let dir: string;
let project: ReturnType<typeof writeProject>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-gate-cli-'));
  project = writeProject(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stores one evaluation per SLO, `age` seconds before t0, shaped per SLO. */
function store(shapes: Record<string, Shape> = {}, age = 30, page?: string): void {
  const slos = projectSlos(join(dir, 'slos'), join(dir, 'runbooks'));
  const db = openDatabase(project.db);
  record(db, [...slos.values()].map((slo) => evaluation(slo, t0 - age, shapes[slo.name])));
  if (page !== undefined) firePage(db, slos.get(page)!, t0 - 600);
  db.close();
}

const gate = (args: string[], now = t0, env: Record<string, string> = { GITHUB_ACTOR: 'ana' }) => gateCli(['--config', project.config, 'gate', ...args], now, env);

describe('burnrate gate', () => {
  it('allows with exit 0 and shows each SLO budget and burn rates', async () => {
    store();
    const run = await gate(['--service', 'checkout']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ALLOW: service checkout may deploy (2 SLOs)');
    expect(lines[1]).toBe('  + checkout-availability  allow    budget 80.0% left  burn 5m 0.50x 30m 0.50x 1h 0.50x 2h 0.50x 6h 0.50x 1d 0.50x 3d 0.50x');
    expect(lines[2]).toMatch(/^ {2}\+ checkout-latency {7}allow {4}budget 80\.0% left/);
  });

  it('denies with exit 1 when the budget is spent, giving the reason', async () => {
    store({ 'checkout-latency': { budgetLeft: -0.3 } });
    const run = await gate(['--service', 'checkout']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DENY: service checkout may not deploy (2 SLOs)');
    expect(run.stdout).toContain('  x checkout-latency       deny     budget -30.0% left');
    expect(run.stdout).toContain('      budget -30% left, below the 0% minimum');
  });

  it('denies with exit 1 while a page fires', async () => {
    store({}, 30, 'checkout-availability');
    const run = await gate(['--service', 'checkout']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('page alert firing since 2026-11-02T11:50:00Z');
  });

  it('cannot decide (exit 2) on stale evaluations; --fail-open turns that into 0', async () => {
    store({}, 3600);
    const strict = await gate(['--service', 'checkout']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain('UNKNOWN: cannot decide for service checkout (2 SLOs)');
    expect(strict.stdout).toContain('latest evaluation is 1h old (2026-11-02T11:00:00Z), older than the 5m limit');
    const open = await gate(['--service', 'checkout', '--fail-open']);
    expect(open.code).toBe(0);
    expect(open.stderr).toBe('burnrate: the gate cannot decide; --fail-open allows the deploy\n');
  });

  it('cannot decide (exit 2) when the backend failed the latest cycle', async () => {
    store({ 'search-availability': { failure: 'Prometheus unreachable: connect ECONNREFUSED' } });
    const run = await gate(['--slo', 'search-availability', '--format', 'json']);
    expect(run.code).toBe(2);
    const answer = JSON.parse(run.stdout) as GateAnswer;
    expect(answer.verdict).toBe('unknown');
    expect(answer.reasons).toEqual(['search-availability: backend error at 2026-11-02T11:59:30Z: Prometheus unreachable: connect ECONNREFUSED']);
    expect((await gate(['--slo', 'search-availability', '--fail-open'])).code).toBe(0);
  });

  it('cannot decide (exit 2) without a database, and says so in JSON', async () => {
    const run = await gate(['--service', 'search', '--format', 'json']);
    expect(run.code).toBe(2);
    const answer = JSON.parse(run.stdout) as GateAnswer;
    expect(answer).toMatchObject({ verdict: 'unknown', request: { service: 'search', slos: [] } });
    expect(answer.reasons[0]).toMatch(/^search-availability: cannot open .*burnrate\.db: no such database \(run `burnrate run` or `burnrate ingest` first/);
    expect((await gate(['--service', 'search', '--fail-open'])).code).toBe(0);
  });

  it('names the known services for an unknown service or SLO (exit 64)', async () => {
    store();
    const service = await gate(['--service', 'payments']);
    expect(service).toEqual({ code: 64, stdout: '', stderr: 'burnrate: unknown service "payments"; known services: checkout, search\n' });
    const slo = await gate(['--slo', 'checkout-availability', '--slo', 'payments-latency']);
    expect(slo.code).toBe(64);
    expect(slo.stderr).toBe('burnrate: unknown SLO "payments-latency"; known services: checkout, search\n');
  });

  it("names the last deploy and the budget it has cost each SLO since it landed", async () => {
    store();
    const db = openDatabase(project.db);
    const ledger = new SqliteLedger(db);
    // A 30-day window of one-minute buckets ending at t0: 100 events each, errors only in the last 90 minutes.
    const buckets = Array.from({ length: 30 * 1440 }, (_, i) => {
      const end = t0 - 30 * 86_400 + (i + 1) * 60;
      return { end, width: 60, errors: end > t0 - 5400 ? 2 : 0, total: 100 };
    });
    for (const slo of ['checkout-availability', 'checkout-latency']) {
      ledger.reset(slo, 'test');
      ledger.append(slo, slo === 'checkout-availability' ? buckets : buckets.map((b) => ({ ...b, errors: 0 })));
    }
    const deploys = new DeployStore(db);
    deploys.record({ service: 'checkout', version: 'v41', finishedAt: t0 - 86_400 }, t0);
    deploys.record({ service: 'checkout', version: 'v42', commit: '3f2a9c1d7e', finishedAt: t0 - 3600 }, t0);
    db.close();

    const run = await gate(['--service', 'checkout']);
    expect(run.code).toBe(0);
    // 60 buckets × 2 errors against a budget of 0.1% of 4,320,000 events = 4,320 errors: 2.8%.
    expect(run.stdout).toContain('      last deploy v42 (3f2a9c1) at 2026-11-02T11:00:00Z has cost 2.8% of the budget (120 errors of 6,000 events)');
    expect(run.stdout).toContain('      last deploy v42 (3f2a9c1) at 2026-11-02T11:00:00Z has cost 0.0% of the budget (0 errors of 6,000 events)');
    const json = JSON.parse((await gate(['--slo', 'checkout-availability', '--format', 'json'])).stdout) as GateAnswer;
    expect(json.slos[0]!.lastDeploy).toMatchObject({ version: 'v42', commit: '3f2a9c1d7e', finishedAt: '2026-11-02T11:00:00Z', errors: 120, total: 6000, budgetSpentPercent: 2.778 });
  });

  it('on a shard, sends a question about another shard\'s service there (exit 64)', async () => {
    // checkout hashes to shard 0 of 2 (sha256 "checkout" starts c7761e58, an even number).
    project = writeProject(dir, 'database: burnrate.db\nsharding: {index: 1, count: 2, peers: ["http://burnrate-0:9464", "http://burnrate-1:9464"]}\n');
    store();
    const run = await gate(['--service', 'checkout']);
    expect(run).toEqual({ code: 64, stdout: '', stderr: 'burnrate: service "checkout" is evaluated by shard 0 of 2 (http://burnrate-0:9464), not by this one (shard 1): ask that shard\n' });
  });

  it('needs exactly one of --service and --slo, and a known format (exit 64)', async () => {
    expect((await gate([])).stderr).toContain('name either --service or --slo');
    expect((await gate(['--service', 'checkout', '--slo', 'x'])).code).toBe(64);
    expect((await gate(['--service', 'checkout', '--format', 'yaml'])).stderr).toContain('--format: expected human or json, got "yaml"');
  });

  it('answers JSON for SLOs named with a repeated --slo', async () => {
    store({ 'search-availability': { budgetLeft: 0.5, burn: 1.25 } });
    const run = await gate(['--slo', 'search-availability', '--slo', 'checkout-latency', '--format', 'json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as GateAnswer;
    expect(answer).toMatchObject({ verdict: 'allow', overridden: false, at: '2026-11-02T12:00:00Z', request: { service: null, slos: ['search-availability', 'checkout-latency'] }, reasons: [], override: null });
    expect(answer.slos.map((s) => [s.slo, s.budgetRemainingPercent, s.burnRates['1h']])).toEqual([
      ['search-availability', 50, 1.25],
      ['checkout-latency', 80, 0.5],
    ]);
  });

  it('records an override that turns the deny into an allow until it expires or is expired', async () => {
    store({ 'checkout-availability': { budgetLeft: -0.5 } });
    const created = await gate(['override', '--service', 'checkout', '--reason', 'rollback of 1.4.0', '--author', 'ana', '--for', '30m']);
    expect(created.code).toBe(0);
    const id = /^override (\S+): service checkout may deploy despite the gate until 2026-11-02T12:30:00Z \(ana: rollback of 1\.4\.0\)$/.exec(created.stdout.trim())?.[1];
    expect(id).toBeDefined();

    const allowed = await gate(['--service', 'checkout', '--format', 'json']);
    expect(allowed.code).toBe(0);
    const answer = JSON.parse(allowed.stdout) as GateAnswer;
    expect(answer).toMatchObject({ verdict: 'allow', overridden: true, override: { id, service: 'checkout', author: 'ana', reason: 'rollback of 1.4.0', expiresAt: '2026-11-02T12:30:00Z' } });
    expect(answer.reasons[0]).toBe('checkout-availability: budget -50% left, below the 0% minimum');
    expect((await gate(['--service', 'checkout'])).stdout).toMatch(/^ALLOW \(overridden\): service checkout may deploy \(2 SLOs\); override \S+ by ana until 2026-11-02T12:30:00Z: rollback of 1\.4\.0\n/);

    const listed = await gate(['override', 'ls', '--format', 'json']);
    expect((JSON.parse(listed.stdout) as { overrides: Array<{ id: string; actor: string }> }).overrides.map((o) => [o.id, o.actor])).toEqual([[id, 'cli:ana']]);
    // Who recorded it stands beside who it claims to be from.
    expect((await gate(['override', 'ls'])).stdout).toMatch(/AUTHOR\s+ACTOR\s+REASON\n.*\bana\s+cli:ana\s+rollback of 1\.4\.0/);
    expect(await gate(['override', 'expire', id!], t0 + 60)).toEqual({ code: 0, stdout: `expired ${id}\n`, stderr: '' });
    expect((await gate(['override', 'expire', id!], t0 + 120)).code).toBe(1);
    expect((await gate(['--service', 'checkout'], t0 + 90)).code).toBe(1);
    expect((await gate(['override', 'ls'], t0 + 90)).stdout).toBe('no overrides\n');
  });

  it('rejects an override without reason or for an unknown service (exit 64)', async () => {
    expect((await gate(['override', '--service', 'checkout', '--author', 'ana'])).stderr).toContain('--reason: required field missing');
    expect((await gate(['override', '--service', 'payments', '--author', 'ana', '--reason', 'x'])).stderr).toContain('unknown service "payments"');
    expect((await gate(['override', '--service', 'checkout', '--author', 'ana', '--reason', 'x', '--for', '30d'])).code).toBe(64);
  });

  it('records every decision with who asked: gate log', async () => {
    store({ 'checkout-availability': { budgetLeft: -0.5 } });
    await gate(['--service', 'checkout']);
    await gate(['--slo', 'search-availability'], t0 + 10, { USER: 'bo' });
    const all = await gate(['log', '--format', 'json'], t0 + 20);
    const { decisions } = JSON.parse(all.stdout) as { decisions: Array<{ requester: string; asked: string; verdict: string; at: string; reasons: string[] }> };
    expect(decisions.map((d) => [d.at, d.requester, d.asked, d.verdict])).toEqual([
      ['2026-11-02T12:00:10Z', 'cli:bo', 'slo search-availability', 'allow'],
      ['2026-11-02T12:00:00Z', 'cli:ana', 'service checkout', 'deny'],
    ]);
    expect(decisions[1]!.reasons).toEqual(['checkout-availability: budget -50% left, below the 0% minimum']);
    const checkout = await gate(['log', '--service', 'checkout', '--since', '1h'], t0 + 20);
    expect(checkout.stdout.split('\n')[0]).toMatch(/^AT\s+REQUESTER\s+ASKED\s+VERDICT\s+OVERRIDE\s+REASONS$/);
    expect(checkout.stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^2026-11-02T12:00:00Z\s+cli:ana\s+service checkout\s+deny\s+-\s+checkout-availability: budget -50% left, below the 0% minimum$/),
    ]);
    expect((await gate(['log', '--since', '5s'], t0 + 20)).stdout).toBe('no gate decisions\n');
  });
});
