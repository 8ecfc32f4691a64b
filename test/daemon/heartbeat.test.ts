import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, type MetricBackend } from '../../src/backends/backend.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { checkoutSlo } from '../support/alerting-app.js';
import { startFakeHttpServer, type FakeHttpServer } from '../support/fake-http-server.js';
import { syntheticTraffic } from '../support/synthetic-traffic.js';

/**
 * The dead man's switch: a heartbeat URL pinged after every successful cycle, and the time of the last one on
 * /metrics, so that something outside the daemon notices when it stops evaluating, while /healthz (the process
 * serves requests) cannot tell.
 */
const t0 = Date.parse('2026-11-30T10:00:00Z') / 1000;
const root = fileURLToPath(new URL('../..', import.meta.url));

type BackendMode = 'up' | 'refusing' | 'hung';

interface Running {
  app: App;
  clock: ManualClock;
  pings: FakeHttpServer;
  setBackend(mode: BackendMode): void;
  metric(name: string): Promise<number | undefined>;
  close(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A backend that answers, refuses every query, or never answers (until the query is aborted). */
function switchable(backend: MetricBackend, mode: () => BackendMode): MetricBackend {
  const gate = <T>(query: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (mode() === 'refusing') return Promise.reject(new BackendError('unreachable', 'connection refused (test)'));
    if (mode() === 'hung') return new Promise<T>((_ok, fail) => signal?.addEventListener('abort', () => fail(new BackendError('timeout', 'aborted'))));
    return query();
  };
  return {
    kind: backend.kind,
    queryRange: (query, signal) => gate(() => backend.queryRange(query, signal), signal),
    close: () => backend.close(),
  };
}

async function start(): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-heartbeat-'));
  const pings = await startFakeHttpServer((_request, response) => response.writeHead(200).end('OK'));
  const file = join(dir, 'burnrate.yaml');
  writeFileSync(file, `runbooks: ${join(root, 'runbooks')}\nevaluation: {schedule: "0 0 1 1 *"}\nheartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL, timeout: 5s}\n`);
  const config = loadConfig(file, true, { db: join(dir, 'burnrate.db') }, dir, { BURNRATE_HEARTBEAT_URL: `${pings.url}/ping/3f2a` });
  const clock = new ManualClock(t0);
  let mode: BackendMode = 'up';
  const backend = switchable(createMemoryBackend({ value: syntheticTraffic({ rate: 20, episodes: [] }) }), () => mode);
  const app = createApp(config, [checkoutSlo()], { clock, log: silentLogger, listen: { host: '127.0.0.1', port: 0 }, backend });
  await app.start();
  const metric = async (name: string) => {
    const text = await (await fetch(`${app.address()}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };
  return {
    app,
    clock,
    pings,
    setBackend: (next) => (mode = next),
    metric,
    close: async () => {
      await app.stop();
      await pings.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pollUntil(what: string, probe: () => boolean | Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

describe('the heartbeat and the last successful cycle', () => {
  it('pings after every successful cycle, and stops while the backend hangs; /healthz still answers', async () => {
    running = await start();
    const { app, clock, pings } = running;
    await pollUntil('the first ping (after the start-up cycle)', () => pings.requests.length === 1);
    expect(await running.metric('burnrate_last_successful_cycle_timestamp_seconds')).toBe(t0);

    clock.advance(60);
    await app.tick();
    await pollUntil('the second ping', () => pings.requests.length === 2);
    expect(await running.metric('burnrate_last_successful_cycle_timestamp_seconds')).toBe(t0 + 60);

    // The backend hangs: the cycle never finishes, so no ping, and the gauge stays where it was while time goes on.
    running.setBackend('hung');
    clock.advance(60);
    const stuck = app.tick();
    clock.advance(600);
    const healthz = await fetch(`${app.address()}/healthz`);
    expect(healthz.status).toBe(200);
    // A ping would follow a cycle within milliseconds (above); none comes in two seconds.
    await new Promise((ok) => setTimeout(ok, 2000));
    expect(pings.requests).toHaveLength(2);
    expect(await running.metric('burnrate_last_successful_cycle_timestamp_seconds')).toBe(t0 + 60);
    expect(clock.now() - t0 - 60).toBe(660);
    await running.close();
    running = undefined;
    await stuck.catch(() => undefined);
  }, 60_000);

  it('a cycle in which the backend refused every query is not successful; pings resume when it answers', async () => {
    running = await start();
    const { app, clock, pings } = running;
    await pollUntil('the first ping', () => pings.requests.length === 1);
    running.setBackend('refusing');
    clock.advance(60);
    const refused = await app.tick();
    expect(refused?.evaluations.map((e) => e.status)).toEqual(['backend_error']);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(pings.requests).toHaveLength(1);
    expect(await running.metric('burnrate_last_successful_cycle_timestamp_seconds')).toBe(t0);
    // The completed-cycle gauge moves on regardless: it says the daemon ran, not that it could see.
    expect(await running.metric('burnrate_last_evaluation_timestamp_seconds')).toBe(t0 + 60);

    running.setBackend('up');
    clock.advance(60);
    await app.tick();
    await pollUntil('the ping after the backend came back', () => pings.requests.length === 2);
    expect(await running.metric('burnrate_last_successful_cycle_timestamp_seconds')).toBe(t0 + 120);
  }, 60_000);
});

describe('the example Prometheus rule for a daemon that stopped evaluating', () => {
  it('passes promtool check rules and its unit tests (fires once the gauge is 5 minutes old, or absent)', () => {
    const rules = join(root, 'examples', 'prometheus', 'burnrate-alerts.yml');
    const check = spawnSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const tests = spawnSync('promtool', ['test', 'rules', join(root, 'examples', 'prometheus', 'burnrate-alerts.test.yml')], { encoding: 'utf8', cwd: join(root, 'examples', 'prometheus') });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toContain('SUCCESS');
  });
});
