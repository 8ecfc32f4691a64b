import { afterEach, describe, expect, it } from 'vitest';
import { classifySqliteError, storageFaultAnswer } from '../../src/store/sqlite-errors.js';
import { apiHarness, closeHarnesses, t0, writeAuth, type ApiHarness, type ErrorJson } from '../api/api-harness.js';

afterEach(closeHarnesses);

const json = { ...writeAuth, 'content-type': 'application/json' };
const writes = [
  { what: 'a silence', url: '/api/v1/silences', headers: json, payload: (i: number) => JSON.stringify({ matchers: ['slo="checkout-availability"'], duration: '1h', createdBy: 'ana', comment: `maintenance ${i} ${'x'.repeat(2000)}` }) },
  { what: 'a deploy', url: '/api/v1/deploys', headers: json, payload: (i: number) => JSON.stringify({ service: 'checkout', version: `1.2.${i}`, finishedAt: t0 - 60 - i, summary: 'x'.repeat(1500) }) },
  { what: 'a gate override', url: '/api/v1/gate/overrides', headers: json, payload: (i: number) => JSON.stringify({ service: 'checkout', reason: `hotfix ${i} ${'x'.repeat(1500)}`, for: '1h' }) },
  { what: 'a sample push', url: '/api/v1/ingest', headers: { ...writeAuth, 'content-type': 'text/plain' }, payload: (i: number) => Array.from({ length: 20 }, (_, k) => `http_requests_total{service="checkout",code="200",pod="p${i}-${k}"} ${i} ${(t0 - 600 + i) * 1000}`).join('\n') + '\n' },
];

/** No page may be added to the database any more: the next write that needs one fails with SQLITE_FULL, as on a full disk. */
function fillUp(h: ApiHarness): void {
  const pages = h.db.pragma('page_count', { simple: true }) as number;
  h.db.pragma(`max_page_count = ${pages}`);
}

function expectStorageFault(response: Response, code: string) {
  expect(response.statusCode, response.body).toBe(503);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  const body = response.json<ErrorJson>();
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  expect(body.error.message).not.toMatch(/SQLITE|sqlite|\.js/);
}

type Response = Awaited<ReturnType<ApiHarness['app']['inject']>>;
const send = (h: ApiHarness, write: (typeof writes)[number], i: number) => h.app.inject({ method: 'POST', url: write.url, headers: write.headers, payload: write.payload(i) });

describe('a storage fault is 503 with Retry-After, never a 4xx a pusher would drop the data for', () => {
  for (const write of writes) {
    it(`${write.what} into a full database (SQLITE_FULL from max_page_count) is 503 storage_full`, async () => {
      const h = await apiHarness({ embedded: true });
      fillUp(h);
      // Writes succeed while the pages have room, then the database is full.
      let response = await send(h, write, 0);
      for (let i = 1; i < 200 && response.statusCode < 300; i++) response = await send(h, write, i);
      expectStorageFault(response, 'storage_full');
      expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });

    it(`${write.what} into a read-only database is 503 storage_read_only`, async () => {
      const h = await apiHarness({ embedded: true });
      h.db.pragma('query_only = ON');
      expectStorageFault(await send(h, write, 0), 'storage_read_only');
    });
  }

  it('a busy database (another writer holds the lock) is 503 storage_busy with a short Retry-After', async () => {
    const h = await apiHarness({ embedded: true });
    h.silences.add = () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    const response = await send(h, writes[0]!, 0);
    expect([response.statusCode, response.headers['retry-after'], response.json<ErrorJson>().error.code]).toEqual([503, '1', 'storage_busy']);
  });
});

describe('SQLite result codes, primary and extended, are classified', () => {
  const table: Array<[string, string | undefined]> = [
    ['SQLITE_FULL', 'full'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_LOCKED', 'busy'],
    ['SQLITE_LOCKED_SHAREDCACHE', 'busy'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_NOTADB', 'corrupt'],
    ['SQLITE_READONLY', 'read_only'],
    ['SQLITE_READONLY_DBMOVED', 'read_only'],
    ['SQLITE_IOERR', 'io'],
    ['SQLITE_IOERR_WRITE', 'io'],
    ['SQLITE_CANTOPEN', 'io'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', undefined],
    ['SQLITE_ERROR', undefined],
    ['ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', undefined],
  ];
  it.each(table)('%s is %s', (code, fault) => {
    expect(classifySqliteError(Object.assign(new Error('x'), { code }))).toBe(fault);
  });

  it('each fault answers 503 with a storage_ code and a Retry-After', () => {
    for (const fault of ['full', 'busy', 'corrupt', 'read_only', 'io'] as const) {
      const answer = storageFaultAnswer(fault);
      expect(answer).toMatchObject({ status: 503, code: `storage_${fault}` });
      expect(answer.retryAfter).toBeGreaterThan(0);
    }
  });
});
