import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, type RangeQuery } from '../../src/backends/backend.js';
import { createPrometheusBackend, type PrometheusSeries } from '../../src/backends/prometheus/prometheus-backend.js';
import { startFakeHttpServer, type FakeHttpServer } from '../support/fake-http-server.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { writeScenarioFile, type ScenarioFile } from '../support/scenario-file.js';

const end = 1_790_000_000;
const hour = 3600;

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the query to fail');
}

describe('Prometheus backend against a real Prometheus', () => {
  let scenario: ScenarioFile;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    scenario = await writeScenarioFile({ end, days: 5, scrapeInterval: 30 });
    prometheus = await startPrometheus({ openMetricsFile: scenario.path });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await scenario?.remove();
  });

  it('returns one series per label set with the points at the requested steps', async () => {
    const backend = createPrometheusBackend({ url: prometheus.url });
    const query: RangeQuery = { expr: 'sum by (code) (increase(http_requests_total{service="checkout"}[1h]))', start: end - 6 * hour, end: end - hour, step: 600 };
    const series = await backend.queryRange(query);
    expect(series.map((s) => s.labels).sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''))).toEqual([{ code: '200' }, { code: '500' }]);
    for (const s of series) expect(s.points.map((p) => p.t)).toEqual(Array.from({ length: 31 }, (_, k) => query.start + k * 600));
    const ok = series.find((s) => s.labels.code === '200')!;
    // ~20 req/s ±50% diurnal: between 10 and 30 per second over an hour.
    for (const point of ok.points) expect(point.value).toBeGreaterThan(10 * hour * 0.9);
    for (const point of ok.points) expect(point.value).toBeLessThan(30 * hour * 1.1);
  });

  it('splits a range of more than 11,000 steps and returns exactly one point per step', async () => {
    const backend = createPrometheusBackend({ url: prometheus.url });
    const step = 30;
    const steps = 12_345;
    const start = end - steps * step;
    const series = await backend.queryRange({ expr: 'http_requests_total{service="search",code="200"}', start, end, step });
    expect(series).toHaveLength(1);
    const times = series[0]!.points.map((p) => p.t);
    expect(times).toHaveLength(steps + 1);
    expect(times.every((t, k) => t === start + k * step)).toBe(true);
    expect(series[0]!.points.every((p, k) => k === 0 || p.value >= series[0]!.points[k - 1]!.value)).toBe(true);
  });

  it('parses NaN, +Inf and -Inf as Prometheus sends them', async () => {
    const backend = createPrometheusBackend({ url: prometheus.url });
    const at = { start: end - 60, end, step: 60 };
    const values = async (expr: string) => (await backend.queryRange({ expr, ...at }))[0]!.points.map((p) => p.value);
    expect(await values('vector(1) / 0')).toEqual([Infinity, Infinity]);
    expect(await values('vector(-1) / 0')).toEqual([-Infinity, -Infinity]);
    expect(await values('vector(0) / 0')).toEqual([NaN, NaN]);
  });

  it('reports a query Prometheus cannot parse as bad_query with its message', async () => {
    const backend = createPrometheusBackend({ url: prometheus.url });
    const error = await failure(backend.queryRange({ expr: 'sum(rate(http_requests_total[5m]', start: end - hour, end, step: 60 }));
    expect(error.code).toBe('bad_query');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/parse error/);
  });

  it('reports a stopped server as unreachable', async () => {
    const down = await startPrometheus({});
    await down.stop();
    const error = await failure(createPrometheusBackend({ url: down.url }).queryRange({ expr: 'up', start: end - 60, end, step: 60 }));
    expect(error.code).toBe('unreachable');
    expect(error.retryable).toBe(true);
  });
});

describe('Prometheus backend against a misbehaving server', () => {
  const servers: FakeHttpServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  async function serve(status: number, body: string, contentType = 'application/json'): Promise<FakeHttpServer> {
    const server = await startFakeHttpServer((_request, response) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
    servers.push(server);
    return server;
  }
  const query: RangeQuery = { expr: 'up', start: end - 120, end, step: 60 };

  it('reports a host name that does not resolve as unreachable', async () => {
    const error = await failure(createPrometheusBackend({ url: 'http://burnrate-no-such-host.invalid:9090' }).queryRange(query));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('times out within about the configured timeout on a server that never answers', async () => {
    const silent = await startFakeHttpServer(() => undefined);
    servers.push(silent);
    const started = performance.now();
    const error = await failure(createPrometheusBackend({ url: silent.url, timeoutSeconds: 0.5 }).queryRange(query));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
  });

  const cases: { name: string; status: number; body: string; contentType?: string; code: string; message: RegExp }[] = [
    { name: 'a 503 with a Prometheus error body is a server error', status: 503, body: '{"status":"error","errorType":"unavailable","error":"TSDB not ready"}', code: 'server_error', message: /503.*TSDB not ready/ },
    { name: 'a 503 from a proxy with an HTML body is a server error', status: 503, body: '<html>upstream down</html>', contentType: 'text/html', code: 'server_error', message: /503/ },
    { name: 'a 422 execution error is a bad query', status: 422, body: '{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}', code: 'bad_query', message: /many-to-many/ },
    { name: 'a 404 means the URL is not a Prometheus API root', status: 404, body: 'not found', contentType: 'text/plain', code: 'bad_response', message: /404/ },
    { name: 'a 200 with a body that is not JSON is a bad response', status: 200, body: 'hello', contentType: 'text/plain', code: 'bad_response', message: /expected a JSON object/ },
    { name: 'a 200 with a vector result is a bad response', status: 200, body: '{"status":"success","data":{"resultType":"vector","result":[]}}', code: 'bad_response', message: /vector/ },
    { name: 'a 200 with status error is a bad response', status: 200, body: '{"status":"error","error":"partial"}', code: 'bad_response', message: /status is "error"/ },
  ];
  it.each(cases)('$name', async ({ status, body, contentType, code, message }) => {
    const server = await serve(status, body, contentType);
    const error = await failure(createPrometheusBackend({ url: server.url }).queryRange(query));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('keeps the warnings of a successful answer and reports them', async () => {
    const server = await serve(200, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[end, '1']] }] }, warnings: ['remote read failed'] }));
    const reported: string[][] = [];
    const backend = createPrometheusBackend({ url: server.url, onWarnings: (warnings) => reported.push([...warnings]) });
    const series = (await backend.queryRange(query)) as PrometheusSeries;
    expect(series.warnings).toEqual(['remote read failed']);
    expect(reported).toEqual([['remote read failed']]);
  });

  it('sends the pinned start, end and step of each chunk, with custom headers', async () => {
    const seen: (string | undefined)[] = [];
    const server = await startFakeHttpServer((request, response) => {
      seen.push(request.headers['x-scope-orgid'] as string | undefined);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"success","data":{"resultType":"matrix","result":[]}}');
    });
    servers.push(server);
    const backend = createPrometheusBackend({ url: `${server.url}/`, headers: { 'X-Scope-OrgID': 'tenant-a' } });
    await backend.queryRange({ expr: 'up', start: 1000, end: 1000 + 25_000 * 10, step: 10 });
    expect(server.requests.map((form) => [form.get('start'), form.get('end'), form.get('step'), form.get('partial_response')])).toEqual([
      ['1000', '110990', '10', 'false'],
      ['111000', '220990', '10', 'false'],
      ['221000', '251000', '10', 'false'],
    ]);
    expect(seen).toEqual(['tenant-a', 'tenant-a', 'tenant-a']);
  });

  it('passes a caller abort through without waiting for the timeout', async () => {
    const silent = await startFakeHttpServer(() => undefined);
    servers.push(silent);
    const controller = new AbortController();
    const pending = createPrometheusBackend({ url: silent.url, timeoutSeconds: 30 }).queryRange(query, controller.signal);
    controller.abort(new Error('evaluation cancelled'));
    await expect(pending).rejects.toThrow('evaluation cancelled');
  });
});
