import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { apiHarness, closeHarnesses, readAuth, t0, writeAuth, type ErrorJson } from './api-harness.js';

afterEach(closeHarnesses);

const deploy = { service: 'checkout', environment: 'production', version: '1.4.0', commit: 'abc1234', finishedAt: t0 - 60 };
const silence = { matchers: ['slo="checkout-availability"'], duration: '1h', createdBy: 'ana', comment: 'maintenance' };
const json = { ...writeAuth, 'content-type': 'application/json' };

interface Case {
  sentence: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
  status: number;
  /** Exact code where the route uses the shared error handling; routes/silences.ts still has its own codes. */
  code?: string;
}

const cases: Case[] = [
  { sentence: 'a deploy over 64 KiB is 413', method: 'POST', url: '/api/v1/deploys', headers: json, payload: { ...deploy, summary: 'x'.repeat(70_000) }, status: 413, code: 'body_too_large' },
  { sentence: 'a silence over 64 KiB is 413', method: 'POST', url: '/api/v1/silences', headers: json, payload: { ...silence, comment: 'x'.repeat(70_000) }, status: 413 },
  { sentence: 'malformed JSON for a deploy is 400', method: 'POST', url: '/api/v1/deploys', headers: json, payload: '{"service": "checkout",', status: 400, code: 'invalid_json' },
  { sentence: 'malformed JSON for a silence is 400', method: 'POST', url: '/api/v1/silences', headers: json, payload: '{matchers:', status: 400 },
  { sentence: 'an empty JSON body is 400', method: 'POST', url: '/api/v1/deploys', headers: json, payload: '', status: 400, code: 'invalid_json' },
  { sentence: 'a deploy sent as text/plain is 415', method: 'POST', url: '/api/v1/deploys', headers: { ...writeAuth, 'content-type': 'text/plain' }, payload: 'service=checkout', status: 415, code: 'unsupported_media_type' },
  { sentence: 'a silence sent as text/plain is 415', method: 'POST', url: '/api/v1/silences', headers: { ...writeAuth, 'content-type': 'text/plain' }, payload: 'slo=x', status: 415 },
  { sentence: 'a deploy sent as a form is 415', method: 'POST', url: '/api/v1/deploys', headers: { ...writeAuth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'service=checkout', status: 415, code: 'unsupported_media_type' },
  { sentence: 'a JSON body to the sample push is 415', method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'application/json' }, payload: '{}', status: 415, code: 'unsupported_media_type' },
  { sentence: 'an unknown path is 404', method: 'GET', url: '/api/v1/nothing-here', status: 404, code: 'not_found' },
  { sentence: 'an unknown path outside the API is 404', method: 'GET', url: '/index.html', status: 404, code: 'not_found' },
  { sentence: 'a known path with another method is 405', method: 'PUT', url: '/api/v1/deploys', headers: writeAuth, status: 405, code: 'method_not_allowed' },
  { sentence: 'a known parametrised path with another method is 405', method: 'PATCH', url: '/api/v1/slos/checkout-availability', status: 405, code: 'method_not_allowed' },
  { sentence: 'an unknown SLO is 404', method: 'GET', url: '/api/v1/slos/no-such-slo', headers: readAuth, status: 404, code: 'not_found' },
  { sentence: 'an unknown query parameter is 400', method: 'GET', url: '/api/v1/slos?colour=red', headers: readAuth, status: 400, code: 'invalid_query' },
  { sentence: 'a bad alert state filter is 400', method: 'GET', url: '/api/v1/alerts?state=burning', headers: readAuth, status: 400, code: 'invalid_query' },
];

describe('every client error is a 4xx JSON error, never a crash or an HTML page', () => {
  for (const c of cases) {
    it(c.sentence, async () => {
      const { app } = await apiHarness({ embedded: true });
      const response = await app.inject({ method: c.method, url: c.url, ...(c.headers && { headers: c.headers }), ...(c.payload !== undefined && { payload: c.payload }) });
      expect(response.statusCode).toBe(c.status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json() as ErrorJson;
      expect(body.error).toEqual({ code: expect.any(String), message: expect.any(String), ...(body.error.fields && { fields: expect.any(Array) }) });
      if (c.code !== undefined) expect(body.error.code).toBe(c.code);
      // The server still answers afterwards.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });
  }

  it('405 names the allowed methods in Allow', async () => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/deploys', headers: writeAuth });
    expect(response.headers.allow).toBe('GET, HEAD, POST');
  });

  it('413 says what the limit is', async () => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: json, payload: { ...deploy, summary: 'x'.repeat(70_000) } });
    expect((response.json() as ErrorJson).error.message).toContain('64 KiB');
  });

  it('an invalid query names every bad parameter in fields', async () => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'GET', url: '/api/v1/alerts?severity=urgent&limit=0&colour=red', headers: readAuth });
    expect((response.json() as ErrorJson).error.fields?.map((f) => f.path).sort()).toEqual(['colour', 'limit', 'severity']);
  });

  it('the sample push keeps its own 32 MiB limit: a 1 MiB exposition is accepted', async () => {
    const { app } = await apiHarness({ embedded: true });
    // 10,000 series, the default per-push limit, with labels long enough to make the body over 1 MiB.
    const lines = Array.from({ length: 10_000 }, (_, i) => `http_requests_total{service="checkout",instance="${'i'.repeat(80)}${i}"} ${i} ${t0 * 1000}`);
    const payload = `${lines.join('\n')}\n`;
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    const response = await app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { 'content-type': 'text/plain' }, payload });
    expect(response.statusCode).toBe(200);
  });
});

describe('an exception inside a handler', () => {
  const urls = ['/api/v1/slos', '/api/v1/slos/checkout-availability', '/api/v1/alerts', '/api/v1/deploys'];
  for (const url of urls) {
    it(`${url}: 500 JSON with a code, the cause logged and not shown`, async () => {
      const lines: string[] = [];
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()) });
      const { app, db } = await apiHarness({ log: pino({ level: 'error' }, sink) });
      db.close();
      const response = await app.inject({ method: 'GET', url, headers: readAuth });
      expect(response.statusCode).toBe(500);
      expect((response.json() as ErrorJson).error.code).toBe('internal');
      expect(response.body).not.toContain('database connection is not open');
      expect(lines.join('')).toContain('database connection is not open');
    });
  }
});
