import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerSilence } from '../../src/cli/commands/silence.js';
import { exitCodes } from '../../src/cli/io.js';
import { parseDuration } from '../../src/core/duration.js';
import { formatTime, parseTime } from '../../src/core/time.js';
import { parseSince, parseTimeText } from '../../src/deploys/deploy-time.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { openDatabase } from '../../src/store/database.js';
import { apiHarness, closeHarnesses, readAuth, t0, writeAuth, type ErrorJson } from '../api/api-harness.js';

afterEach(closeHarnesses);
const dir = mkdtempSync(join(tmpdir(), 'burnrate-time-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = { ...writeAuth, 'content-type': 'application/json' };
const silence = { matchers: ['slo="checkout-availability"'], createdBy: 'ana', comment: 'maintenance' };

describe('times are parsed strictly: a day the month lacks is refused, never rolled over', () => {
  const cases: Array<[string, string, number | undefined]> = [
    ['a valid UTC time', '2026-11-22T09:00:00Z', Date.UTC(2026, 10, 22, 9) / 1000],
    ['an offset', '2026-11-22T10:30:00+01:30', Date.UTC(2026, 10, 22, 9) / 1000],
    ['fractional seconds', '2026-11-22T09:00:00.250Z', Date.UTC(2026, 10, 22, 9) / 1000 + 0.25],
    ['a space for the T', '2026-11-22 09:00:00Z', Date.UTC(2026, 10, 22, 9) / 1000],
    ['29 February of a leap year', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29) / 1000],
    ['30 February', '2026-02-30T00:00:00Z', undefined],
    ['29 February of a common year', '2026-02-29T00:00:00Z', undefined],
    ['29 February 2100 (no leap year)', '2100-02-29T00:00:00Z', undefined],
    ['31 April', '2026-04-31T00:00:00Z', undefined],
    ['month 13', '2026-13-01T00:00:00Z', undefined],
    ['day 0', '2026-01-00T00:00:00Z', undefined],
    ['hour 24', '2026-01-01T24:00:00Z', undefined],
    ['minute 60', '2026-01-01T10:60:00Z', undefined],
    ['second 60', '2026-01-01T10:00:60Z', undefined],
    ['an offset of 24 hours', '2026-01-01T10:00:00+24:00', undefined],
    ['no offset (local time)', '2026-01-01T10:00:00', undefined],
    ['a date alone', '2026-01-01', undefined],
    ['before 1970', '1969-12-31T23:59:59Z', undefined],
    ['year 10000 written with five digits', '10000-01-01T00:00:00Z', undefined],
    ['unix seconds', '1700000000', 1_700_000_000],
    ['unix seconds past year 9999', '999999999999999', undefined],
    ['unix seconds as a 400-digit number', '9'.repeat(400), undefined],
  ];
  it.each(cases)('%s: %s', (_, text, seconds) => {
    expect(parseTime(text)).toBe(seconds);
    expect(parseTimeText(text)).toBe(seconds);
  });

  it('a duration back from now may not reach before 1970, and an absurd one is no duration', () => {
    expect(parseSince('7d', t0)).toBe(t0 - 7 * 86_400);
    expect(parseSince('99999w', t0)).toBeUndefined();
    expect(parseDuration('999999999999999999w')).toBeUndefined();
    expect(parseDuration('30d')).toBe(30 * 86_400);
  });

  it('formatting never throws: an out-of-range stored time shows as the nearest end of 1970…9999', () => {
    expect(formatTime(1e300)).toBe('9999-12-31T23:59:59Z');
    expect(formatTime(Number.POSITIVE_INFINITY)).toBe('9999-12-31T23:59:59Z');
    expect(formatTime(Number.NaN)).toBe('invalid time');
  });
});

describe('a silence with an unbounded time is refused with 400 and leaves no row behind', () => {
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a duration of 999999999999999999 weeks', { duration: '999999999999999999w' }, /duration: expected a whole number/],
    ['a duration of 1000 weeks (longer than a year)', { duration: '1000w' }, /a silence lasts at most 365d/],
    ['endsAt 1e300', { endsAt: 1e300 }, /endsAt: expected an RFC 3339 time with offset or unix seconds from 1970 to 9999, got 1e\+300/],
    ['endsAt as a huge number string', { endsAt: '9'.repeat(30) }, /endsAt: expected an RFC 3339 time/],
    ['endsAt on 30 February', { endsAt: '2027-02-30T00:00:00Z' }, /endsAt: expected an RFC 3339 time/],
    ['startsAt in two years', { startsAt: t0 + 2 * 365 * 86_400, duration: '1h' }, /startsAt: expected a start at most 365d ahead/],
    ['startsAt 1e300', { startsAt: 1e300, duration: '1h' }, /startsAt: expected an RFC 3339 time/],
  ];
  it.each(bad)('%s', async (_, fields, message) => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'POST', url: '/api/v1/silences', headers: json, payload: { ...silence, ...fields } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorJson>().error.message).toMatch(message);
    const list = await app.inject({ method: 'GET', url: '/api/v1/silences', headers: readAuth });
    expect([list.statusCode, list.json()]).toEqual([200, { silences: [] }]);
  });

  it('a write whose answer fails inside the transaction leaves no row behind', () => {
    const store = new SilenceStore(openDatabase(':memory:'));
    expect(() =>
      store.atomically(() => {
        store.add({ ...silence, duration: '1h' }, t0);
        throw new Error('rendering the answer failed');
      }),
    ).toThrow('rendering the answer failed');
    expect(store.list({ now: t0 })).toEqual([]);
    expect(store.isSilenced({ slo: 'checkout-availability' }, t0)).toEqual([]);
  });
});

describe('silences stored before times were bounded do not break listings', () => {
  const path = join(dir, 'old-rows.db');
  const db = openDatabase(path);
  const store = new SilenceStore(db, { newId: () => 'old' });
  store.add({ ...silence, duration: '1h' }, t0);
  db.prepare('UPDATE silences SET ends_at = ?').run(1e300);
  db.close();

  it('GET /api/v1/silences answers 200 with the end shown as 9999-12-31', async () => {
    const h = await apiHarness();
    h.db.exec(`ATTACH DATABASE '${path}' AS old; INSERT INTO silences SELECT * FROM old.silences; DETACH DATABASE old;`);
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/silences', headers: readAuth });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ silences: Array<{ id: string; endsAt: string; state: string }> }>().silences).toMatchObject([{ id: 'old', endsAt: '9999-12-31T23:59:59Z', state: 'active' }]);
  });

  it('silence ls prints it instead of a RangeError', async () => {
    let stdout = '';
    let stderr = '';
    let code: number = exitCodes.ok;
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
    const program = new Command('burnrate').option('--config <file>').option('--db <file>').exitOverride();
    registerSilence(program, io, (c) => (code = c), () => t0);
    await program.parseAsync(['silence', 'ls', '--db', path], { from: 'user' });
    expect([code, stderr]).toEqual([exitCodes.ok, '']);
    expect(stdout).toContain('9999-12-31T23:59:59Z');
  });
});

describe('other times from users are bounded too', () => {
  it('a deploy finished on 30 February is refused', async () => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'POST', url: '/api/v1/deploys', headers: json, payload: { service: 'checkout', finishedAt: '2026-02-30T10:00:00Z' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorJson>().error.fields).toEqual([{ path: 'finishedAt', message: expect.stringMatching(/expected an RFC 3339 time/) }]);
  });

  const queries: Array<[string, string]> = [
    ['deploys from 30 February', '/api/v1/deploys?from=2026-02-30T00:00:00Z'],
    ['deploys to unix seconds past 9999', '/api/v1/deploys?to=99999999999999'],
    ['deploys from a duration reaching before 1970', '/api/v1/deploys?from=99999w'],
    ['SLO history from 30 February', '/api/v1/slos/checkout-availability?from=2026-02-30T00:00:00Z'],
    ['SLO history to 1e300', '/api/v1/slos/checkout-availability?to=1' + '0'.repeat(300)],
    ['SLO history with a step of 999999999999999999w', '/api/v1/slos/checkout-availability?step=999999999999999999w'],
    ['the gate log since 30 February', '/api/v1/gate/log?since=2026-02-30T00:00:00Z'],
  ];
  it.each(queries)('%s is 400', async (_, url) => {
    const { app } = await apiHarness();
    const response = await app.inject({ method: 'GET', url, headers: readAuth });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('invalid_query');
  });
});
