import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { loadSlos } from '../../src/slo/load.js';
import { deployedAt, minute, verifyProject, type VerifyProject } from './verify-fixture.js';

/**
 * GET and POST /api/v1/verify on a running daemon (the scenario of verify-fixture.ts, 31 minutes after the
 * deploys), asked exactly as the shipped Argo Rollouts AnalysisTemplate and Flagger Canary ask: their URLs,
 * headers, JSON path, conditions and payload are read from examples/.
 */
const readToken = 'verify-read-token-0123456789abcdef';

interface ArgoTemplate {
  spec: {
    metrics: Array<{
      successCondition: string;
      failureCondition: string;
      provider: { web: { url: string; headers: Array<{ key: string; value: string }>; jsonPath: string } };
    }>;
  };
}

interface FlaggerCanary {
  metadata: { name: string; namespace: string };
  spec: { analysis: { webhooks: Array<{ name: string; type: string; url: string; metadata: Record<string, string> }> } };
}

const argo = parse(readFileSync(new URL('../../examples/argo-rollouts/burnrate-verify.yaml', import.meta.url), 'utf8')) as ArgoTemplate;
const flagger = parse(readFileSync(new URL('../../examples/flagger/burnrate-verify-canary.yaml', import.meta.url), 'utf8')) as FlaggerCanary;

let project: VerifyProject;
let app: App;
let base: string;

beforeAll(async () => {
  project = await verifyProject(['evaluation: {schedule: "0 0 1 1 *"}', 'api:', '  tokens:', '    - {name: rollouts, tokenEnv: VERIFY_READ_TOKEN, scopes: [read]}', ''].join('\n'));
  const config = loadConfig(project.config, true, {}, project.dir, { VERIFY_READ_TOKEN: readToken });
  const { slos } = loadSlos(config.slos, { runbookDir: config.runbooks });
  app = createApp(config, slos, { clock: new ManualClock(deployedAt + 31 * minute), log: silentLogger, listen: { host: '127.0.0.1', port: 0 } });
  await app.start();
  base = app.address()!;
}, 300_000);

afterAll(async () => {
  await app?.stop();
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

/** Argo's `{$.field}` JSON path on an object (the form the template uses). */
function jsonPath(path: string, body: Record<string, unknown>): unknown {
  const field = /^\{\$\.(\w+)\}$/.exec(path)?.[1];
  if (field === undefined) throw new Error(`the test reads {$.field} paths only, got ${path}`);
  return body[field];
}

/** Argo's `result == "x"` condition (the form the template uses). */
function condition(expression: string, result: unknown): boolean {
  const expected = /^result == "(\w+)"$/.exec(expression)?.[1];
  if (expected === undefined) throw new Error(`the test reads result == "x" conditions only, got ${expression}`);
  return result === expected;
}

describe('the Argo Rollouts AnalysisTemplate against the daemon', () => {
  const [metric] = argo.spec.metrics;
  const measure = async (service: string) => {
    const url = metric!.provider.web.url.replace('{{args.burnrate}}', base).replace('{{args.service}}', service);
    const headers = Object.fromEntries(metric!.provider.web.headers.map((h) => [h.key, h.value.replace('{{args.token}}', readToken)]));
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    const result = jsonPath(metric!.provider.web.jsonPath, (await response.json()) as Record<string, unknown>);
    return { result, success: condition(metric!.successCondition, result), failure: condition(metric!.failureCondition, result) };
  };

  it.each([
    ['checkout (0.1% → 0.5%) fails the analysis', 'checkout', { result: 'fail', success: false, failure: true }],
    ['search (unchanged) succeeds', 'search', { result: 'pass', success: true, failure: false }],
    ['quiet (too few events) is neither: Argo counts it inconclusive', 'quiet', { result: 'inconclusive', success: false, failure: false }],
  ])('%s', async (_sentence, service, expected) => {
    expect(await measure(service)).toEqual(expected);
  });

  it('without the read token the measurement errors (401), it does not pass', async () => {
    const response = await fetch(`${base}/api/v1/verify?service=checkout`);
    expect(response.status).toBe(401);
  });
});

describe('the Flagger webhook against the daemon', () => {
  const [webhook] = flagger.spec.analysis.webhooks;
  const call = async (service: string) => {
    const url = webhook!.url.replace('http://burnrate.monitoring.svc:9464', base);
    // Flagger's payload, no headers of its own: the example's metadata with the service under test and the token.
    const metadata = { ...webhook!.metadata, service, token: webhook!.metadata['token']!.replace('replace-with-a-burnrate-read-token', readToken) };
    const payload = { name: flagger.metadata.name, namespace: flagger.metadata.namespace, phase: 'Progressing', checksum: '8a1f', metadata };
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), verdict: ((await response.json()) as { verdict: string }).verdict };
  };

  it.each([
    ['checkout fails the check (409): Flagger halts and rolls back', 'checkout', { status: 409, retryAfter: null, verdict: 'fail' }],
    ['search passes (200)', 'search', { status: 200, retryAfter: null, verdict: 'pass' }],
    ['quiet is not yet decided (503, ask again)', 'quiet', { status: 503, retryAfter: '60', verdict: 'inconclusive' }],
  ])('%s', async (_sentence, service, expected) => {
    expect(await call(service)).toEqual(expected);
  });

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { token: 'not-a-token-of-this-daemon-0000' }, 401],
  ])('%s in the metadata: %d, and nothing verified', async (_sentence, extra, status) => {
    const response = await fetch(webhook!.url.replace('http://burnrate.monitoring.svc:9464', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { service: 'checkout', ...extra } }),
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it.each([
    ['a misspelt field', { service: 'checkout', deplooy: 'x' }, 'metadata.deplooy: unknown field: allowed fields: service, deploy, since, for, baseline, canary, token'],
    ['a token with "Bearer "', { service: 'checkout', token: `Bearer ${readToken}` }, 'metadata.token: expected a bearer token'],
    ['an empty token', { service: 'checkout', token: '' }, 'metadata.token: expected a bearer token'],
  ])('refuses %s in the metadata (400), naming it', async (_sentence, metadata, message) => {
    const response = await fetch(webhook!.url.replace('http://burnrate.monitoring.svc:9464', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readToken}` },
      body: JSON.stringify({ metadata }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  it('the period comes from the metadata (for: 10m), the query wins over it', async () => {
    const response = await fetch(`${base}/api/v1/verify?for=20m`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readToken}` },
      body: JSON.stringify({ metadata: { service: 'search', for: '10m' } }),
    });
    expect(((await response.json()) as { periodSeconds: number }).periodSeconds).toBe(1200);
  });
});

describe('GET /api/v1/verify answers', () => {
  const get = async (query: string) => {
    const response = await fetch(`${base}/api/v1/verify?${query}`, { headers: { authorization: `Bearer ${readToken}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('the verdict as the status code with status=verdict', async () => {
    expect((await get('service=checkout&status=verdict')).status).toBe(409);
    expect((await get('service=search&status=verdict')).status).toBe(200);
  });

  it.each([
    ['no service', '', 400, 'invalid_query'],
    ['an unknown service', 'service=nope', 404, 'unknown_service'],
    ['an unknown deploy', 'service=checkout&deploy=nope', 404, 'unknown_deploy'],
    ['deploy and since together', 'service=checkout&deploy=x&since=1h', 400, 'invalid_query'],
    ['an unknown parameter', 'service=checkout&window=1h', 400, 'invalid_query'],
    ['a period over a day (the answer reads twice the period of samples)', 'service=checkout&since=0&for=20000d', 400, 'invalid_query'],
    ['a time to compare from far in the future', 'service=checkout&since=2099-01-01T00:00:00Z', 400, 'future_since'],
  ])('%s: %s', async (_sentence, query, status, code) => {
    const { status: got, body } = await get(query);
    expect(got).toBe(status);
    expect((body as { error: { code: string } }).error.code).toBe(code);
  });
});
