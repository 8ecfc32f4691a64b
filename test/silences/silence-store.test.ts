import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { silenceState } from '../../src/silences/silence.js';
import { resolveSilenceInput, type SilenceInput } from '../../src/silences/silence-input.js';
import { silencing } from '../../src/silences/silencing.js';

const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const base: SilenceInput = { matchers: ['slo="checkout-availability"'], duration: '2h', createdBy: 'ana', comment: 'deploy window' };

const open: Db[] = [];
function memoryStore(): SilenceStore {
  const db = openDatabase(':memory:');
  open.push(db);
  let n = 0;
  return new SilenceStore(db, { newId: () => `s${++n}` });
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('silence states', () => {
  const cases: Array<[string, number, string]> = [
    ['before startsAt it is pending', t0 - 1, 'pending'],
    ['at startsAt it is active', t0, 'active'],
    ['just before endsAt it is active', t0 + 3599, 'active'],
    ['at endsAt it is expired', t0 + 3600, 'expired'],
  ];
  it.each(cases)('%s', (_, now, state) => {
    expect(silenceState({ startsAt: t0, endsAt: t0 + 3600 }, now)).toBe(state);
  });
});

describe('silence input', () => {
  const bad: Array<[string, unknown, string]> = [
    ['no matchers', { ...base, matchers: [] }, 'invalid silence: matchers: at least one matcher is required'],
    ['only matchers that match the empty string', { ...base, matchers: ['a=""', 'b=~".*"'] }, 'invalid silence: at least one matcher must not match the empty string: such a silence would mute every alert'],
    ['a bad matcher', { ...base, matchers: ['slo="x"', 'team'] }, 'invalid silence: matchers[1]: bad matcher format: expected name="value" with =, !=, =~ or !~, got "team"'],
    ['a bad regex in an object matcher', { ...base, matchers: [{ name: 'a', type: '=~', value: '(' }] }, 'invalid silence: matchers[0]: invalid regular expression "(": missing closing ): `(`'],
    ['neither endsAt nor duration', { matchers: ['a=b'], createdBy: 'x', comment: 'y' }, 'invalid silence: endsAt or duration is required'],
    ['both endsAt and duration', { ...base, endsAt: t0 + 60 }, 'invalid silence: give endsAt or duration, not both'],
    ['an end before the start', { ...base, duration: undefined, startsAt: '2026-11-02T10:00:00Z', endsAt: '2026-11-02T09:30:00Z' }, 'invalid silence: endsAt (2026-11-02T09:30:00Z) must be after startsAt (2026-11-02T10:00:00Z)'],
    ['an end in the past', { ...base, duration: undefined, endsAt: t0 - 60 }, 'invalid silence: endsAt (2026-11-02T08:59:00Z) must be after startsAt (2026-11-02T09:00:00Z): it is in the past'],
    ['a bad duration', { ...base, duration: '2 hours' }, 'invalid silence: duration: expected a whole number followed by s, m, h, d or w (e.g. 2h), at most 365d, got "2 hours"'],
    ['a bad time', { ...base, duration: undefined, endsAt: 'tomorrow' }, 'invalid silence: endsAt: expected an RFC 3339 time with offset or unix seconds from 1970 to 9999, got "tomorrow"'],
    ['no author and a blank comment', { matchers: ['a=b'], duration: '1h', comment: '  ' }, 'invalid silence: createdBy: required; comment: must not be empty'],
    ['an unknown field', { ...base, author: 'x' }, 'invalid silence: unknown field "author": allowed fields: matchers, startsAt, endsAt, duration, createdBy, comment'],
  ];
  it.each(bad)('rejects %s', (_, input, message) => {
    expect(() => resolveSilenceInput(input, t0)).toThrow(message);
  });

  it('accepts a negative matcher alone, as Alertmanager does', () => {
    expect(resolveSilenceInput({ ...base, matchers: ['env!="prod"'] }, t0).matchers).toEqual([{ name: 'env', type: '!=', value: 'prod' }]);
  });

  it('a start in the past means now; duration counts from the start', () => {
    expect(resolveSilenceInput({ ...base, startsAt: t0 - 600 }, t0)).toMatchObject({ startsAt: t0, endsAt: t0 + 7200 });
    expect(resolveSilenceInput({ ...base, startsAt: '2026-11-02T12:00:00Z' }, t0)).toMatchObject({ startsAt: t0 + 3 * 3600, endsAt: t0 + 5 * 3600 });
  });
});

describe('SilenceStore', () => {
  it('adds, gets and lists silences by state over time', () => {
    const store = memoryStore();
    const now = store.add(base, t0);
    const later = store.add({ ...base, matchers: ['team="payments"'], startsAt: t0 + 3600, duration: '1h' }, t0);
    expect(now).toEqual({
      id: 's1',
      matchers: [{ name: 'slo', type: '=', value: 'checkout-availability' }],
      startsAt: t0,
      endsAt: t0 + 7200,
      createdBy: 'ana',
      comment: 'deploy window',
      createdAt: t0,
      updatedAt: t0,
    });
    expect(store.get('s2')).toEqual(later);
    expect(store.get('nope')).toBeUndefined();
    const ids = (state: 'active' | 'pending' | 'expired', at: number) => store.list({ state, now: at }).map((s) => s.id);
    expect([ids('active', t0), ids('pending', t0), ids('expired', t0)]).toEqual([['s1'], ['s2'], []]);
    expect([ids('active', t0 + 3600), ids('pending', t0 + 3600)]).toEqual([['s1', 's2'], []]);
    expect([ids('active', t0 + 7200), ids('expired', t0 + 7200)]).toEqual([[], ['s1', 's2']]);
    expect(store.list({ now: t0 }).map((s) => s.id)).toEqual(['s1', 's2']);
  });

  it('expire ends an active silence now, keeps a pending one from starting, and refuses an expired one', () => {
    const store = memoryStore();
    store.add(base, t0);
    store.add({ ...base, startsAt: t0 + 3600 }, t0);
    expect(store.expire('s1', t0 + 60)).toMatchObject({ startsAt: t0, endsAt: t0 + 60, updatedAt: t0 + 60 });
    expect(store.expire('s2', t0 + 60)).toMatchObject({ startsAt: t0 + 60, endsAt: t0 + 60 });
    expect(store.list({ state: 'expired', now: t0 + 60 }).map((s) => s.id).sort()).toEqual(['s1', 's2']);
    expect(store.list({ state: ['active', 'pending'], now: t0 + 3600 })).toEqual([]);
    expect(() => store.expire('s1', t0 + 120)).toThrow('silence s1 has already expired');
    expect(() => store.expire('nope', t0)).toThrow(expect.objectContaining({ code: 'not_found', message: 'no silence with id nope' }));
  });

  it('isSilenced returns the active silences whose matchers all match', () => {
    const store = memoryStore();
    store.add({ ...base, matchers: ['slo="checkout"', 'severity=~"page|ticket"'] }, t0);
    store.add({ ...base, matchers: ['service="payments"', 'env!="prod"'] }, t0);
    store.add({ ...base, matchers: ['slo="checkout"'], startsAt: t0 + 3600 }, t0);
    const ids = (labels: Record<string, string>, now = t0 + 1) => store.isSilenced(labels, now).map((s) => s.id);
    expect(ids({ slo: 'checkout', severity: 'page' })).toEqual(['s1']);
    expect(ids({ slo: 'checkout', severity: 'info' })).toEqual([]);
    expect(ids({ service: 'payments' })).toEqual(['s2']);
    expect(ids({ service: 'payments', env: 'prod' })).toEqual([]);
    expect(ids({ slo: 'checkout', severity: 'page' }, t0 + 3600)).toEqual(['s1', 's3']);
    expect(ids({ slo: 'checkout', severity: 'page' }, t0 + 7200)).toEqual(['s3']);
    store.expire('s3', t0 + 7200);
    expect(ids({ slo: 'checkout', severity: 'page' }, t0 + 7200)).toEqual([]);
  });

  it('isSilenced sees silences another connection adds to the same database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-silences-'));
    try {
      const file = join(dir, 'b.db');
      const daemonDb = openDatabase(file);
      const cliDb = openDatabase(file);
      open.push(daemonDb, cliDb);
      const daemon = new SilenceStore(daemonDb);
      expect(daemon.isSilenced({ slo: 'checkout-availability' }, t0 + 1)).toEqual([]);
      const added = new SilenceStore(cliDb).add(base, t0);
      expect(daemon.isSilenced({ slo: 'checkout-availability' }, t0 + 1).map((s) => s.id)).toEqual([added.id]);
      new SilenceStore(cliDb).expire(added.id, t0 + 2);
      expect(daemon.isSilenced({ slo: 'checkout-availability' }, t0 + 3)).toEqual([]);
    } finally {
      for (const db of open.splice(0)) db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches 5000 alerts against 50 silences quickly', () => {
    const silences = Array.from({ length: 50 }, (_, i) => ({
      id: `s${i}`,
      ...resolveSilenceInput({ ...base, matchers: [`slo=~"svc-${i}-.*"`, 'severity!="info"', `team="t${i % 5}"`] }, t0),
      createdAt: t0,
      updatedAt: t0,
    }));
    const alerts = Array.from({ length: 5000 }, (_, i) => ({ slo: `svc-${i % 100}-avail`, severity: i % 2 ? 'page' : 'ticket', team: `t${i % 5}`, service: 'x' }));
    const started = performance.now();
    let silenced = 0;
    for (const labels of alerts) silenced += silencing(silences, labels, t0 + 1).length > 0 ? 1 : 0;
    const elapsed = performance.now() - started;
    expect(silenced).toBe(2500);
    expect(elapsed).toBeLessThan(500);
  });
});
