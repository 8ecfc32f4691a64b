import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../src/daemon/auth.js';
import { apiHarness, closeHarnesses, readAuth, tokens, writeAuth, type ErrorJson } from '../api/api-harness.js';

afterEach(closeHarnesses);

const writeToken = tokens[0]!.token;
const readToken = tokens[1]!.token;

function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      raw.push(chunk.toString());
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, raw, log: pino({ level: 'warn' }, sink) };
}

const refusals = (lines: ReadonlyArray<Record<string, unknown>>) => lines.filter((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('API request refused'));

describe('bearer tokens are compared as fixed-length digests: no length leak, no internal error code', () => {
  // Node reads header bytes as latin1: "é" is one character here, two bytes in UTF-8.
  const sameLength = (char: string) => char.repeat(writeToken.length);
  const presented: Array<[string, string]> = [
    ['a wrong token of the same length in non-ASCII characters', sameLength('é')],
    ['a wrong token of the same length in ASCII', sameLength('x')],
    ['a one-character token', 'x'],
    ['a 4 KiB token', 'x'.repeat(4096)],
    ['the right token with one more character', `${writeToken}x`],
  ];
  it.each(presented)('%s is 401 unknown bearer token', async (_, token) => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'GET', url: '/api/v1/slos', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: 'unknown bearer token' } });
  });

  it('the right token still works for every route family', async () => {
    const { app } = await apiHarness();
    for (const url of ['/api/v1/slos', '/api/v1/alerts', '/api/v1/silences', '/api/v1/deploys', '/api/v1/gate/log']) {
      expect((await app.inject({ method: 'GET', url, headers: readAuth })).statusCode, url).toBe(200);
    }
  });

  const internal = () => {
    throw Object.assign(new RangeError('Input buffers must have the same byte length'), { code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH' });
  };
  for (const [method, url] of [['GET', '/api/v1/slos'], ['POST', '/api/v1/silences'], ['POST', '/api/v1/deploys'], ['GET', '/api/v1/gate?service=checkout'], ['POST', '/api/v1/gate/overrides']] as const) {
    it(`an authorizer failing with an internal error on ${method} ${url} answers a bare 500 internal, the cause only logged`, async () => {
      const { raw, log } = logSink();
      const { app } = await apiHarness({ log, authorize: internal });
      const response = await app.inject({ method, url, headers: { ...writeAuth, 'content-type': 'application/json' }, ...(method === 'POST' && { payload: {} }) });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal', message: 'internal error: the server log has the details' } });
      expect(raw.join('')).toContain('ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
    });
  }
});

describe('failed authentication is logged, rate-limited, with the token name and never the token', () => {
  const request = (authorization: string | undefined, ip = '10.0.0.7') => {
    const logged: Array<[Record<string, unknown>, string]> = [];
    const req = {
      headers: authorization === undefined ? {} : { authorization },
      ip,
      method: 'POST',
      url: '/api/v1/silences?x=1',
      log: { warn: (fields: Record<string, unknown>, message: string) => logged.push([fields, message]) },
    } as unknown as FastifyRequest;
    return { req, logged };
  };

  it('one line per token name per minute, counting the failures in between', () => {
    let now = 1000;
    const authorize = createAuthorizer(tokens, { now: () => now });
    const lines: Array<[Record<string, unknown>, string]> = [];
    const attempt = () => {
      const { req, logged } = request(`Bearer ${readToken}`);
      expect(() => authorize(req, 'write')).toThrow('token "dashboard" has no write scope');
      lines.push(...logged);
    };
    attempt();
    for (let i = 0; i < 9; i++) {
      now += 5;
      attempt();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toMatchObject({ reason: 'wrong_scope', token: 'dashboard', ip: '10.0.0.7', path: '/api/v1/silences', scope: 'write', status: 403, failures: 1 });
    now = 1000 + 60;
    attempt();
    expect(lines).toHaveLength(2);
    expect(lines[1]![0]).toMatchObject({ token: 'dashboard', failures: 10 });
    expect(lines[1]![1]).toBe('API request refused (10 times since the last such line)');
    expect(JSON.stringify(lines)).not.toContain(readToken);
  });

  it('unknown, missing and malformed tokens are keyed by client address, without the token', () => {
    const now = 5000;
    const authorize = createAuthorizer(tokens, { now: () => now });
    const seen: Array<Record<string, unknown>> = [];
    for (const [header, ip] of [['Bearer not-a-known-token-123', '10.0.0.1'], ['Bearer not-a-known-token-123', '10.0.0.1'], [undefined, '10.0.0.2'], ['Basic abc', '10.0.0.3']] as const) {
      const { req, logged } = request(header, ip);
      expect(() => authorize(req, 'read')).toThrow();
      seen.push(...logged.map(([fields]) => fields));
    }
    expect(seen.map((f) => [f['reason'], f['ip'], f['token']])).toEqual([
      ['unknown_token', '10.0.0.1', undefined],
      ['missing_token', '10.0.0.2', undefined],
      ['malformed_header', '10.0.0.3', undefined],
    ]);
    expect(JSON.stringify(seen)).not.toContain('not-a-known-token-123');
  });

  it('through the server: a wrong-scope write is logged with the token name; the token never appears in the log', async () => {
    const { lines, raw, log } = logSink();
    const { app } = await apiHarness({ log });
    const denied = await app.inject({ method: 'POST', url: '/api/v1/silences', headers: { ...readAuth, 'content-type': 'application/json' }, payload: {} });
    expect(denied.statusCode).toBe(403);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/gate/log', headers: { authorization: 'Bearer guessed-token-0000000' } });
    expect(unknown.statusCode).toBe(401);
    expect(refusals(lines).map((l) => [l['reason'], l['token']])).toEqual([['wrong_scope', 'dashboard'], ['unknown_token', undefined]]);
    expect(raw.join('')).not.toContain(readToken);
    expect(raw.join('')).not.toContain('guessed-token-0000000');
  });
});

describe('a gate override records the token that made it as its actor, beside the claimed author', () => {
  it('stored, answered, listed and named in the gate log', async () => {
    const h = await apiHarness();
    h.record(h.clock.now(), { 'checkout-availability': 0.5, 'checkout-latency': 0, 'search-availability': 0 });
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: { ...writeAuth, 'content-type': 'application/json' }, payload: { service: 'checkout', reason: 'hotfix', author: 'someone-else', for: '1h' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ author: 'someone-else', actor: 'ci' });
    const listed = await h.app.inject({ method: 'GET', url: '/api/v1/gate/overrides', headers: readAuth });
    expect(listed.json<{ overrides: unknown[] }>().overrides).toMatchObject([{ author: 'someone-else', actor: 'ci' }]);
    const asked = await h.app.inject({ method: 'GET', url: '/api/v1/gate?service=checkout', headers: readAuth });
    expect(asked.json()).toMatchObject({ verdict: 'allow', overridden: true, override: { actor: 'ci' } });
    const log = await h.app.inject({ method: 'GET', url: '/api/v1/gate/log', headers: readAuth });
    expect(JSON.stringify(log.json<{ decisions: Array<{ reasons: string[] }> }>().decisions[0]!.reasons)).toContain('overridden by someone-else (recorded by ci)');
  });

  it('without an author the token name is both', async () => {
    const { app } = await apiHarness();
    const created = await app.inject({ method: 'POST', url: '/api/v1/gate/overrides', headers: { ...writeAuth, 'content-type': 'application/json' }, payload: { service: 'checkout', reason: 'hotfix' } });
    expect(created.json<ErrorJson | { author: string; actor: string }>()).toMatchObject({ author: 'ci', actor: 'ci' });
  });
});
