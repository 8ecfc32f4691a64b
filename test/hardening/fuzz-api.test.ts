import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seededRandom, type Random } from '../../src/demo/random.js';
import { apiHarness, closeHarnesses, readAuth, t0, writeAuth, type ApiHarness } from '../api/api-harness.js';

/**
 * A bounded fuzz run of the HTTP API: requests built from docs/openapi.yaml, then mutated (methods, paths, query
 * strings, headers, bodies). Every answer must be a documented success or the documented JSON error, never a 5xx,
 * and /healthz keeps answering. Replay a failure with BURNRATE_FUZZ_SEED=<seed printed below>.
 */
const seed = process.env['BURNRATE_FUZZ_SEED'] !== undefined ? Number(process.env['BURNRATE_FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 32);
const injected = Number(process.env['BURNRATE_FUZZ_REQUESTS'] ?? 3000);
const raw = Math.ceil(injected / 20);

interface Operation {
  method: string;
  path: string;
  query: Array<{ name: string; values: unknown[] | undefined }>;
  body: Record<string, unknown> | undefined;
  successes: number[];
}

type Schema = { type?: string | string[]; enum?: unknown[]; properties?: Record<string, Schema>; items?: Schema; $ref?: string };

const spec = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: Schema }>; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Schema> };
};
const resolveRef = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? spec.components.schemas[schema.$ref.split('/').pop()!] : schema);

const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods).filter(([method]) => ['get', 'post', 'put', 'delete', 'patch'].includes(method)).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, values: p.schema?.enum })),
    body: resolveRef(op.requestBody?.content?.['application/json']?.schema)?.properties as Record<string, unknown> | undefined,
    successes: Object.keys(op.responses ?? {}).filter((s) => s.startsWith('2')).map(Number),
  })),
);

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
const chance = (random: Random, p: number) => random.next() < p;

const junkStrings = ['', ' ', '%', '%%', '%zz', '_', '*', '..', '../../etc/passwd', 'é', '😀', '\u0000', '"', "'", '<script>', 'a'.repeat(300), '1e300', '-1', 'NaN', 'null', '[]', '{}', '2026-02-30T00:00:00Z', '999999999999999999w', '0', '1h', '7d', 'checkout', 'checkout-availability', 'search', 'active', 'firing'];
const junkValues: unknown[] = [...junkStrings, 0, -1, 1e300, -1e300, 1.5, true, false, null, [], {}, [1, 2], { a: { b: { c: [] } } }, t0, t0 + 3600, 'x'.repeat(5000)];

function value(random: Random, name: string): unknown {
  if (chance(random, 0.4)) return pick(random, junkValues);
  const plausible: Record<string, unknown[]> = {
    matchers: [['slo="checkout-availability"'], ['team=~"pay.*"'], [{ name: 'slo', type: '=', value: 'x' }], ['a=""'], ['(((']],
    duration: ['1h', '30m', '999999999999999999w', '2 hours', '0s'],
    endsAt: [t0 + 3600, '2026-11-02T13:00:00Z', 1e300, '2026-02-30T00:00:00Z'],
    startsAt: [t0, t0 + 60, '2026-11-02T12:00:00+01:00'],
    service: ['checkout', 'search', 'nope', 'Checkout', '%'],
    slo: ['checkout-availability', 'nope'],
    finishedAt: [t0 - 60, '2026-11-02T11:59:00Z', t0 * 1000, -5],
    startedAt: [t0 - 120],
    for: ['1h', '30s', '8d', 'forever'],
    tags: [['team:payments'], { team: 'payments' }, 'x'],
  };
  return pick(random, plausible[name] ?? ['x', 'ana', 'maintenance window', 'abc1234', 'https://example.com/x']);
}

function body(random: Random, op: Operation): string | undefined {
  const roll = random.next();
  if (roll < 0.1) return undefined;
  if (roll < 0.2) return pick(random, ['{', '{"a":', 'null', '[]', '"text"', '123', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000\u0001', 'x'.repeat(70_000)]);
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(op.body ?? { comment: 1, createdBy: 1 })) if (chance(random, 0.8)) fields[name] = value(random, name);
  if (chance(random, 0.15)) fields[pick(random, ['extra', 'author', 'id', ''])] = pick(random, junkValues);
  return JSON.stringify(fields);
}

function fillPath(random: Random, template: string): string {
  let path = template.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(pick(random, ['checkout-availability', 'nope', 's1', ...junkStrings]))));
  if (chance(random, 0.1)) path += pick(random, ['/', '//', '/extra', '?', '#x', '%', '/..']);
  if (chance(random, 0.05)) path = path.replace('/api/v1', pick(random, ['/api/v2', '/API/v1', '/api//v1', '']));
  return path;
}

function queryString(random: Random, op: Operation): string {
  const parts: string[] = [];
  for (const param of op.query) {
    if (!chance(random, 0.5)) continue;
    const v = param.values && chance(random, 0.6) ? String(pick(random, param.values)) : String(pick(random, junkValues));
    parts.push(`${param.name}=${chance(random, 0.9) ? encodeURIComponent(v) : v}`);
    if (chance(random, 0.1)) parts.push(`${param.name}=${encodeURIComponent(v)}`);
  }
  if (chance(random, 0.15)) parts.push(pick(random, ['colour=red', '%', '=', '&&', 'a[b]=c', 'limit=1e3', '__proto__=x', 'x=%E0%A4%A']));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  template: Operation;
}

function request(random: Random): FuzzRequest {
  const op = pick(random, operations);
  const method = chance(random, 0.85) ? op.method : pick(random, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE']);
  const headers: Record<string, string> = {};
  const auth = random.next();
  if (auth < 0.45) Object.assign(headers, writeAuth);
  else if (auth < 0.75) Object.assign(headers, readAuth);
  else if (auth < 0.85) headers['authorization'] = pick(random, ['Bearer', 'Bearer é', 'Basic eDp5', `Bearer ${'x'.repeat(22)}`, `bearer ${writeAuth.authorization.slice(7)}x`]);
  const payload = method === 'GET' || method === 'HEAD' ? (chance(random, 0.05) ? '{}' : undefined) : op.path === '/api/v1/ingest' && chance(random, 0.7) ? ingestBody(random) : body(random, op);
  if (payload !== undefined || chance(random, 0.2)) {
    headers['content-type'] = pick(random, ['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/openmetrics-text', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'garbage', 'application/json; charset=latin1']);
  }
  return { method, url: fillPath(random, op.path) + queryString(random, op), headers, ...(payload !== undefined && { payload }), template: op };
}

function ingestBody(random: Random): string {
  const lines = Array.from({ length: 1 + Math.floor(random.next() * 5) }, (_, i) =>
    pick(random, [
      `http_requests_total{service="checkout",code="200"} ${i} ${(t0 - 60) * 1000}`,
      `http_requests_total{service="checkout",code="500"} 1`,
      '# TYPE x counter',
      'bad line {',
      `x{a="${'é'.repeat(10)}"} 1e300`,
      `x NaN ${t0 * 1000 + 1e12}`,
      '',
    ]),
  );
  return `${lines.join('\n')}\n`;
}

const templateMatches = (template: string, path: string): boolean =>
  new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);

let h: ApiHarness;
let port: number;
beforeAll(async () => {
  console.log(`fuzz-api seed ${seed} (replay: BURNRATE_FUZZ_SEED=${seed}), ${injected} injected + ${raw} raw requests`);
  h = await apiHarness({ embedded: true });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as { port: number }).port;
});
afterAll(closeHarnesses);

function checkAnswer(what: string, method: string, status: number, contentType: string | undefined, text: string, documented: number[] | undefined) {
  // The one 5xx a request may cause: 501 for a method HTTP/1.1 parsers do not know (RFC 9110 §15.6.2).
  const unknownMethod = status === 501 && text.includes('"code":"method_not_implemented"');
  // And the reload route of this harness, which has no daemon behind it to reload (documented as such).
  const noDaemonToReload = status === 501 && what.includes(' /-/reload') && text.includes('"code":"not_implemented"');
  expect(status < 500 || unknownMethod || noDaemonToReload, `${what}: a ${status}\n${text.slice(0, 500)}`).toBe(true);
  if (status >= 400) {
    if (method === 'HEAD') return;
    expect(contentType, `${what}: content type of a ${status}`).toMatch(/^application\/json/);
    let parsed: { error?: { code?: unknown; message?: unknown; fields?: unknown } } = {};
    expect(() => (parsed = JSON.parse(text) as typeof parsed), `${what}: not JSON: ${text.slice(0, 300)}`).not.toThrow();
    expect(Object.keys(parsed), `${what}: error body ${text}`).toEqual(['error']);
    expect(parsed.error, `${what}: error body ${text}`).toEqual({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String), ...(parsed.error?.fields !== undefined && { fields: expect.any(Array) }) });
    expect(text, `${what}: internals in ${text}`).not.toMatch(/FST_ERR|ERR_[A-Z]|SQLITE_|HPE_|\bat [\w.]+ \(|statusCode/);
  } else if (documented !== undefined) {
    expect(documented, `${what}: ${status} is no documented success`).toContain(status);
  }
}

describe(`fuzzing the HTTP API (seed ${seed})`, () => {
  it(`${injected} requests from the OpenAPI description and mutations: documented answers only, never a 5xx`, async () => {
    const random = seededRandom(seed);
    for (let i = 0; i < injected; i++) {
      const r = request(random);
      const what = `seed ${seed} request ${i}: ${r.method} ${r.url} ${JSON.stringify(r.headers)} ${(r.payload ?? '').slice(0, 200)}`;
      const response = await h.app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, ...(r.payload !== undefined && { payload: r.payload }) });
      const path = r.url.split('?')[0]!;
      const documented = r.method === r.template.method && templateMatches(r.template.path, path) ? r.template.successes : undefined;
      checkAnswer(what, r.method, response.statusCode, response.headers['content-type'] as string | undefined, response.body, documented);
      if (i % 250 === 0) expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    }
  });

  it(`${raw} byte-mutated requests over a real socket: a JSON answer or a clean close, and the server stays up`, async () => {
    const random = seededRandom(seed ^ 0x5bd1e995);
    for (let i = 0; i < raw; i++) {
      const r = request(random);
      let bytes = Buffer.from(`${r.method} ${r.url} HTTP/1.1\r\nHost: localhost\r\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${Buffer.byteLength(r.payload ?? '')}\r\nConnection: close\r\n\r\n${r.payload ?? ''}`, 'latin1');
      // Flip, drop or insert a few bytes anywhere in the request.
      for (let m = Math.floor(random.next() * 4); m > 0; m--) {
        const at = Math.floor(random.next() * bytes.length);
        const op = random.next();
        if (op < 0.4) bytes[at] = Math.floor(random.next() * 256);
        else if (op < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([pick(random, [0, 10, 13, 32, 37, 58, 127, 255])]), bytes.subarray(at)]);
      }
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(Buffer.concat(chunks).toString('latin1')) : reject(error)));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
      });
      const what = `seed ${seed} raw request ${i}: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`;
      if (text === '') continue;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const contentType = /\r\ncontent-type: ([^\r\n]+)/i.exec(head)?.[1];
      const chunked = /\r\ntransfer-encoding: chunked/i.test(head);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      // Only the first answer: a mutation can make one request two, or keep the connection open.
      const bodyText = chunked ? '' : Number.isInteger(length) ? rest.join('\r\n\r\n').slice(0, length) : rest.join('\r\n\r\n');
      expect(Number.isInteger(status), `${what}: no status line in ${JSON.stringify(text.slice(0, 200))}`).toBe(true);
      if (status >= 400 && !bodyText) expect(status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
      else if (status >= 400) checkAnswer(what, head.includes('HEAD') ? 'HEAD' : 'GET', status, contentType, bodyText, undefined);
      else expect(status, what).toBeLessThan(300);
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
