import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's `prometheus-alertmanager` package names the binary so; upstream calls it `alertmanager`. */
const binaries = ['prometheus-alertmanager', 'alertmanager'];
const readyDeadlineMillis = 60_000;
const stopDeadlineMillis = 10_000;
const logLimit = 16_384;

export function findExecutable(names: readonly string[]): string | undefined {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export function requireAlertmanager(): string {
  const found = findExecutable(binaries);
  if (!found) throw new Error("'prometheus-alertmanager' not found on PATH: apt-get install prometheus-alertmanager");
  return found;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

export interface AlertmanagerOptions {
  /** The alertmanager.yml text. */
  config: string;
  /** Listen on this port (default: a free one), so a test can start it where a daemon already posts. */
  port?: number;
  /** Cluster mode: this instance's gossip port and its peers' (`host:port`); without it HA mode is off. */
  cluster?: { port: number; peers: string[] };
}

export interface AlertmanagerServer {
  url: string;
  port: number;
  logTail(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;

/** Starts a real Alertmanager on loopback with its own storage directory; returns once `/-/ready` answers. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerServer> {
  const binary = requireAlertmanager();
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, options.config);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const cluster = options.cluster
    ? [
        `--cluster.listen-address=127.0.0.1:${options.cluster.port}`,
        ...options.cluster.peers.map((peer) => `--cluster.peer=${peer}`),
        '--cluster.settle-timeout=5s',
        '--cluster.gossip-interval=50ms',
        '--cluster.pushpull-interval=1s',
        // How long the second member waits for the first one's notification log before notifying itself: Alertmanager's
        // 15 s default less a little, so a busy machine's slow gossip does not make both members notify.
        '--cluster.peer-timeout=10s',
      ]
    : ['--cluster.listen-address='];
  const args = [`--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, ...cluster];
  const setpriv = findExecutable(['setpriv']);
  const child = setpriv ? spawn(setpriv, ['--pdeathsig', 'KILL', binary, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-logLimit)));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopDeadlineMillis);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + readyDeadlineMillis;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, port, logTail: () => log, stop };
    } catch {
      // not listening yet
    }
    await Promise.race([new Promise((ok) => setTimeout(ok, 100)), exited]);
  }
  await stop();
  throw new Error(`Alertmanager did not start on ${url} (exit ${child.exitCode}):\n${log.split('\n').slice(-30).join('\n')}`);
}

/** A request a receiver got: its path and JSON body. */
export interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface ReceiverServer {
  url: string;
  received: Received[];
  /** Webhook notifications (path /webhook) as Alertmanager sends them. */
  webhooks(): Array<{ status: string; groupKey: string; alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }> }>;
  /** Waits until `predicate` holds, polling; throws after `timeoutMillis`. */
  waitFor(predicate: () => boolean, what: string, timeoutMillis?: number): Promise<void>;
  close(): Promise<void>;
}

/** One loopback server standing in for Alertmanager's receivers: a webhook, Slack's incoming webhook and PagerDuty's Events API. */
export async function startReceivers(): Promise<ReceiverServer> {
  const received: Received[] = [];
  const server = createHttpServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsed: text };
      }
      received.push({ path: request.url ?? '', body, at: Date.now() });
      const pagerduty = request.url?.startsWith('/pagerduty') ?? false;
      response.writeHead(pagerduty ? 202 : 200, { 'content-type': pagerduty ? 'application/json' : 'text/plain' });
      response.end(pagerduty ? JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'x' }) : 'ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    webhooks: () => received.filter((r) => r.path.startsWith('/webhook')).map((r) => r.body as never),
    async waitFor(predicate, what, timeoutMillis = 60_000) {
      const deadline = Date.now() + timeoutMillis;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis / 1000}s waiting for ${what}; received: ${JSON.stringify(received.map((r) => r.path))}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * An alertmanager.yml for tests: everything grouped by `slo` to one receiver that posts to `receivers` as a webhook,
 * a Slack incoming webhook and PagerDuty, the last two through the shipped templates; quick timing; the page
 * inhibits the ticket.
 */
export function testAlertmanagerConfig(receivers: string, templates: string, timing = { groupWait: '1s', groupInterval: '2s' }): string {
  return `
global:
  resolve_timeout: 5m
templates: ['${templates}/*.tmpl']
route:
  receiver: burnrate
  group_by: [slo]
  group_wait: ${timing.groupWait}
  group_interval: ${timing.groupInterval}
  repeat_interval: 1h
inhibit_rules:
  - source_matchers: [alertname="SLOBurnRate", tier="page"]
    target_matchers: [alertname="SLOBurnRate", tier="ticket"]
    equal: [slo]
receivers:
  - name: burnrate
    webhook_configs:
      - url: ${receivers}/webhook
        send_resolved: true
    slack_configs:
      - api_url: ${receivers}/slack
        channel: '#payments-oncall'
        send_resolved: true
        title: '{{ template "burnrate.slack.title" . }}'
        text: '{{ template "burnrate.slack.text" . }}'
    pagerduty_configs:
      - url: ${receivers}/pagerduty
        routing_key: 0123456789abcdef0123456789abcdef
        send_resolved: true
        description: '{{ template "burnrate.pagerduty.description" . }}'
        details:
          runbook: '{{ template "burnrate.pagerduty.runbook" . }}'
          deploy: '{{ template "burnrate.pagerduty.deploy" . }}'
          budget: '{{ template "burnrate.pagerduty.budget" . }}'
`;
}
