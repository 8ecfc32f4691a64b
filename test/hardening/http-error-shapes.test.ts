import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiHarness, closeHarnesses, readAuth, type ErrorJson } from '../api/api-harness.js';

afterEach(closeHarnesses);

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (inject would normalise them) and reads the answer until the server closes. */
function rawRequest(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
  });
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${readAuth.authorization}\r\n${extra}Connection: close\r\n\r\n`;

const cases: Array<[string, string, number, string]> = [
  ['a bad percent-escape in the path (/%)', get('/%'), 400, 'bad_url'],
  ['a bad percent-escape in an SLO name', get('/api/v1/slos/%zz'), 400, 'bad_url'],
  ['a path segment over fastify\'s parameter limit', get(`/api/v1/slos/${'a'.repeat(300)}`), 414, 'path_too_long'],
  ['headers over Node\'s 16 KiB limit', get('/healthz', `X-Padding: ${'a'.repeat(20_000)}\r\n`), 431, 'headers_too_large'],
  ['a method Node does not know', 'BREW /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 501, 'method_not_implemented'],
  ['a method Node knows but no route takes', 'PROPFIND /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 405, 'method_not_allowed'],
  ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n', 400, 'bad_request'],
  ['an HTTP version that does not exist', 'GET /healthz HTTP/7.3\r\nHost: localhost\r\n\r\n', 400, 'bad_request'],
  ['both Content-Length and chunked', 'POST /api/v1/silences HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n', 400, 'bad_request'],
  ['a malformed query string', get('/api/v1/alerts?state=%zz&%%%=1'), 400, 'invalid_query'],
  ['a repeated query parameter on the silence list', get('/api/v1/silences?state=active&state=expired'), 400, 'invalid_query'],
  ['a bad state on the silence list', get('/api/v1/silences?state=burning'), 400, 'invalid_query'],
  ['an unknown parameter on the silence list', get('/api/v1/silences?colour=red'), 400, 'invalid_query'],
];

describe('every error, from routes, fastify or Node\'s parser, is the documented JSON error', () => {
  it.each(cases)('%s', async (_, bytes, status, code) => {
    const { app } = await apiHarness();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const answer = await rawRequest(port, bytes);
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(answer.body) as ErrorJson;
    expect(body.error).toEqual({ code, message: expect.any(String), ...(body.error.fields && { fields: expect.any(Array) }) });
    expect(answer.body).not.toMatch(/FST_|HPE_|ERR_|statusCode/);
    const health = await rawRequest(port, get('/healthz'));
    expect(health.status).toBe(200);
  });
});

describe('the gate log filter is literal: % and _ are no LIKE wildcards', () => {
  it.each(['%', '_', 'c%', '%out', 'check_ut'])('?service=%s finds nothing', async (service) => {
    const h = await apiHarness();
    h.record(h.clock.now(), { 'checkout-availability': 0, 'checkout-latency': 0, 'search-availability': 0 });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/gate?service=checkout', headers: readAuth })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/gate?service=search', headers: readAuth })).statusCode).toBe(200);
    const all = await h.app.inject({ method: 'GET', url: '/api/v1/gate/log', headers: readAuth });
    expect(all.json<{ decisions: unknown[] }>().decisions).toHaveLength(2);
    const exact = await h.app.inject({ method: 'GET', url: '/api/v1/gate/log?service=checkout', headers: readAuth });
    expect(exact.json<{ decisions: unknown[] }>().decisions).toHaveLength(1);
    const response = await h.app.inject({ method: 'GET', url: `/api/v1/gate/log?service=${encodeURIComponent(service)}`, headers: readAuth });
    expect([response.statusCode, response.json()]).toEqual([200, { decisions: [] }]);
  });
});
