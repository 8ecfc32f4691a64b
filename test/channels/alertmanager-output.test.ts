import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../../src/alerting/alert-store.js';
import { alertsToPost, postableAlert, postAlerts, pushToAlertmanagers, watchdogAlert, type AlertmanagerSettings } from '../../src/channels/alertmanager-output.js';
import { createLogger } from '../../src/log.js';
import type { AlertDetail } from '../../src/notify/notification.js';
import { findExecutable, freePort } from '../support/alertmanager-server.js';
import { startFakeHttpServer, type FakeHttpServer } from '../support/fake-http-server.js';

const now = Date.parse('2026-11-02T09:00:00Z') / 1000;

function stored(state: StoredAlert['state'], overrides: Partial<StoredAlert> = {}): StoredAlert {
  return {
    fingerprint: `fp-${state}`,
    labels: { team: 'payments', alertname: 'SLOBurnRate', slo: 'checkout-availability', service: 'checkout', severity: 'page' },
    kind: 'burn',
    slo: 'checkout-availability',
    severity: 'page',
    state,
    activeAt: now - 300,
    firedAt: state === 'pending' ? null : now - 240,
    resolvedAt: state === 'resolved' ? now - 60 : null,
    updatedAt: now,
    figures: {
      at: now,
      status: 'ok',
      budgetRemaining: 0.62,
      timeToExhaustion: 2 * 86_400,
      errorRatio: 0.0151,
      pairs: [
        { severity: 'page', long: 3600, short: 300, factor: 14.4, longBurnRate: 15.1, shortBurnRate: 20.4, firing: true },
        { severity: 'page', long: 21_600, short: 1800, factor: 6, longBurnRate: 2.5, shortBurnRate: 7.5, firing: false },
        { severity: 'ticket', long: 86_400, short: 7200, factor: 3, longBurnRate: 0.7, shortBurnRate: 2.1, firing: false },
      ],
    },
    ...overrides,
  };
}

const summary = { name: 'checkout-availability', service: 'checkout', description: 'Checkout requests succeed.', objective: 99.9, window: 30 * 86_400, labels: { team: 'payments' } };

function detail(alert: StoredAlert): AlertDetail {
  return {
    alert,
    slo: summary,
    figures: alert.figures,
    runbook: { path: 'checkout-availability.md', url: 'https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md', meta: {}, markdown: '# Checkout availability\n\nRoll back the last deploy.\n' },
    deploy: { found: true, beforeBurn: 17 * 60, deploy: { id: 'd1', service: 'checkout', environment: 'production', version: 'v2.14.0', commit: '9f3c2a1b7e', repositoryUrl: null, author: 'dana', startedAt: null, finishedAt: now - 1320, url: 'https://ci.example.com/run/1', rollbackUrl: null, summary: 'Pooled connections', tags: [], source: 'api' } },
    links: { dashboard: 'https://grafana.example.com/d/slo?var-slo=checkout-availability', query: null },
  };
}

const settings: AlertmanagerSettings = { urls: [], resendInterval: 60, timeout: 1, resolvedFor: 900, externalUrl: 'https://burnrate.example.com/', severity: { page: 'critical', ticket: 'warning' }, watchdog: false };

describe('what is posted', () => {
  it('firing alerts and ones resolved within resolvedFor, never pending ones', () => {
    const alerts = [stored('pending'), stored('firing'), stored('resolved'), stored('resolved', { fingerprint: 'old', resolvedAt: now - 901 })];
    expect(alertsToPost(alerts, now, 900).map((a) => a.fingerprint)).toEqual(['fp-firing', 'fp-resolved']);
  });

  it('a firing alert: labels with the mapped severity and the tier, valid four resend intervals, annotations with the page, generatorURL to the SLO', () => {
    expect(postableAlert(detail(stored('firing')), now, settings)).toEqual({
      labels: { team: 'payments', alertname: 'SLOBurnRate', slo: 'checkout-availability', service: 'checkout', severity: 'critical', tier: 'page' },
      annotations: {
        summary: 'checkout-availability (checkout) is burning its error budget (page): 15.1× over 1h (threshold 14.4×), 62% of the budget left',
        description: 'Checkout requests succeed. Objective 99.9% over 30d.',
        objective: '99.9% over 30d',
        burn_rates: '1h 15.1× / 5m 20.4× (threshold 14.4×, firing); 6h 2.5× / 30m 7.5× (threshold 6×)',
        budget_remaining: '62%',
        time_to_exhaustion: '2d',
        error_ratio: '1.51%',
        runbook: '# Checkout availability\n\nRoll back the last deploy.\n',
        runbook_text: '*Checkout availability*\nRoll back the last deploy.',
        runbook_url: 'https://github.com/acme/slos/blob/main/runbooks/checkout-availability.md',
        deploy: 'checkout v2.14.0 (9f3c2a1) to production by dana, 17m before the burn began: Pooled connections',
        deploy_url: 'https://ci.example.com/run/1',
        dashboard_url: 'https://grafana.example.com/d/slo?var-slo=checkout-availability',
      },
      startsAt: '2026-11-02T08:56:00.000Z',
      endsAt: '2026-11-02T09:04:00.000Z',
      generatorURL: 'https://burnrate.example.com/api/v1/slos/checkout-availability',
    });
  });

  it('a resolved alert ends when it resolved', () => {
    const alert = postableAlert(detail(stored('resolved')), now, settings);
    expect([alert.startsAt, alert.endsAt]).toEqual(['2026-11-02T08:56:00.000Z', '2026-11-02T08:59:00.000Z']);
  });

  it('without a deploy in the lookback the annotation says so', () => {
    const d = { ...detail(stored('firing')), deploy: { found: false as const, lookback: 86_400 } };
    expect(postableAlert(d, now, settings).annotations['deploy']).toBe('no deploy in the 1d before the burn');
  });
});

describe('faults: what a post answers', () => {
  let server: FakeHttpServer;
  let answer: { status: number; body: string; delayMs?: number };
  beforeAll(async () => {
    server = await startFakeHttpServer((_request, response) => {
      setTimeout(() => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  afterAll(() => server.close());

  const alerts = [postableAlert(detail(stored('firing')), now, settings)];

  it.each([
    ['200 is success', { status: 200, body: '' }, { kind: 'ok' }],
    ['500 is retried at the next interval', { status: 500, body: 'boom' }, { kind: 'retry', reason: 'HTTP 500: boom' }],
    ['503 is retried', { status: 503, body: '' }, { kind: 'retry', reason: 'HTTP 503' }],
    ['429 is retried', { status: 429, body: 'slow down' }, { kind: 'retry', reason: 'HTTP 429: slow down' }],
    ['400 is refused, with the reason', { status: 400, body: '{"code":400,"message":"start time must be before end time"}' }, { kind: 'rejected', status: 400, reason: '{"code":400,"message":"start time must be before end time"}' }],
  ])('%s', async (_name, given, expected) => {
    answer = given;
    expect(await postAlerts(server.url, alerts, 2)).toEqual(expected);
  });

  it('a request that takes longer than the timeout is retried', async () => {
    answer = { status: 200, body: '', delayMs: 2000 };
    const outcome = await postAlerts(server.url, alerts, 1);
    expect(outcome.kind).toBe('retry');
  });

  it('a refused connection is retried', async () => {
    const outcome = await postAlerts(`http://127.0.0.1:${await freePort()}`, alerts, 2);
    expect(outcome).toMatchObject({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('a push posts to every Alertmanager and logs a 400 with its reason and a 5xx as retried', async () => {
    const good = await startFakeHttpServer((_q, r) => r.writeHead(200).end());
    const refusing = await startFakeHttpServer((_q, r) => r.writeHead(400).end('invalid label set'));
    const failing = await startFakeHttpServer((_q, r) => r.writeHead(502).end());
    const lines: string[] = [];
    const log = createLogger('debug', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    try {
      const result = await pushToAlertmanagers(
        { settings: { ...settings, urls: [good.url, refusing.url, failing.url] }, alerts: () => [stored('firing'), stored('pending')], slo: () => summary, enrich: (alert) => detail(alert), log },
        now,
      );
      expect(result.alerts).toBe(1);
      expect(result.outcomes.map((o) => o.outcome.kind)).toEqual(['ok', 'rejected', 'retry']);
      expect([good.requests.length, refusing.requests.length, failing.requests.length]).toEqual([1, 1, 1]);
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; reason?: string; alertmanager?: string });
      expect(logged.find((l) => l.alertmanager === refusing.url)).toMatchObject({ msg: 'Alertmanager refused the alerts', reason: 'invalid label set' });
      expect(logged.find((l) => l.alertmanager === failing.url)).toMatchObject({ msg: expect.stringContaining('posted again at the next interval'), reason: 'HTTP 502' });
    } finally {
      await Promise.all([good.close(), refusing.close(), failing.close()]);
    }
  });
});

describe('the Watchdog (alertmanager.watchdog: true)', () => {
  const pushWith = async (watchdog: boolean, lastSuccessfulCycle: number | undefined, alerts: StoredAlert[] = []) => {
    const am = await startFakeHttpServer((_q, r) => r.writeHead(200).end());
    try {
      const log = createLogger('error', new Writable({ write: (_c, _e, done) => done() }));
      const result = await pushToAlertmanagers({ settings: { ...settings, watchdog, urls: [am.url] }, alerts: () => alerts, slo: () => summary, enrich: (alert) => detail(alert), lastSuccessfulCycle: () => lastSuccessfulCycle, log }, now);
      return { result, posted: am.requests.length };
    } finally {
      await am.close();
    }
  };

  it('is posted, always firing and valid four intervals, while the last successful cycle is recent; no other alert is needed', async () => {
    const { result, posted } = await pushWith(true, now - 60);
    expect(result.alerts).toBe(1);
    expect(posted).toBe(1);
  });

  it.each([
    ['evaluation has not succeeded for over five minutes', true, now - 301],
    ['it never succeeded', true, undefined],
    ['the setting is off', false, now - 60],
  ])('is not posted when %s', async (_sentence, watchdog, last) => {
    const { result } = await pushWith(watchdog, last);
    expect(result.alerts).toBe(0);
  });

  it('reads as Prometheus\'s Watchdog: alertname Watchdog, severity none, endsAt four resend intervals on', async () => {
    const alert = watchdogAlert(now, settings);
    expect(alert.labels).toEqual({ alertname: 'Watchdog', severity: 'none', source: 'burnrate' });
    expect(Date.parse(alert.endsAt) / 1000 - now).toBe(4 * settings.resendInterval);
    expect(alert.generatorURL).toBe('https://burnrate.example.com/metrics');
  });
});

describe('the shipped examples (examples/alertmanager/)', () => {
  const amtool = findExecutable(['amtool']);
  const dir = resolve('examples/alertmanager');

  it('amtool check-config accepts alertmanager.yml with both templates', () => {
    if (amtool === undefined) throw new Error("'amtool' not found on PATH: apt-get install prometheus-alertmanager");
    const result = spawnSync(amtool, ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toContain('1 templates');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('the check reads the templates: a broken one fails it', () => {
    if (amtool === undefined) throw new Error("'amtool' not found on PATH: apt-get install prometheus-alertmanager");
    const copy = mkdtempSync(join(tmpdir(), 'burnrate-am-examples-'));
    try {
      copyFileSync(join(dir, 'alertmanager.yml'), join(copy, 'alertmanager.yml'));
      copyFileSync(join(dir, 'burnrate-pagerduty.tmpl'), join(copy, 'burnrate-pagerduty.tmpl'));
      writeFileSync(join(copy, 'burnrate-slack.tmpl'), readFileSync(join(dir, 'burnrate-slack.tmpl'), 'utf8').replace('{{- end }}', '{{- end'));
      const result = spawnSync(amtool, ['check-config', join(copy, 'alertmanager.yml')], { encoding: 'utf8' });
      expect(result.status).not.toBe(0);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
