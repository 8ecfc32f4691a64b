import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/labels/matchers.js';
import { compileAnchoredRe2, maxRegexLength } from '../../src/labels/re2-regex.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { silenceRoutes } from '../../src/daemon/routes/silences.js';
import { matchRoutes } from '../../src/routing/match-routes.js';
import { matches, parseMatcher } from '../../src/routing/matcher.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { openDatabase } from '../../src/store/database.js';
import { instant, newBackend } from '../embedded/fixtures.js';
import { runCli } from '../support/run-cli.js';
import { catastrophic, expectLinear, expectLinearAsync, timeSync, valueLength } from './regex-timing.js';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-regex-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;

describe.each(catastrophic)('$pattern matches in linear time', ({ pattern, value }) => {
  it('as an embedded selector matcher, =~ and !~', () => {
    const positive = compileMatcher({ name: 'x', type: '=~', value: pattern });
    const negative = compileMatcher({ name: 'x', type: '!~', value: pattern });
    expectLinear((n) => {
      const input = value(n);
      expect(positive.matches(input)).toBe(!negative.matches(input));
    }, valueLength);
  });

  it('as a routing matcher (parseMatcher)', () => {
    const matcher = parseMatcher(`x=~${JSON.stringify(pattern)}`);
    expectLinear((n) => void matches(matcher, { x: value(n) }), valueLength);
  });

  it('as label_replace captures', () => {
    const regex = compileAnchoredRe2(`(?P<all>${pattern})`);
    expectLinear((n) => void regex.exec(value(n)), valueLength);
  });
});

describe('every entry point for a regex from a user runs it in linear time', () => {
  const [nested, alternation] = catastrophic as [(typeof catastrophic)[0], (typeof catastrophic)[0], ...typeof catastrophic];

  it('a silence added through the HTTP API', async () => {
    const db = openDatabase(':memory:');
    const store = new SilenceStore(db);
    const app = Fastify();
    await app.register(silenceRoutes, { store, clock: new ManualClock(t0), authorize: () => true });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/silences',
      payload: { matchers: [`slo=~${JSON.stringify(nested.pattern)}`], duration: '1h', createdBy: 'ana', comment: 'hostile' },
    });
    expect(created.statusCode).toBe(201);
    expectLinear((n) => expect(store.isSilenced({ slo: nested.value(n) }, t0 + 1)).toEqual([]), valueLength);
    await app.close();
    db.close();
  });

  it('a silence added with the CLI', async () => {
    const file = join(dir, 'cli.db');
    const added = await runCli(['silence', 'add', '--db', file, '-m', `slo=~${alternation.pattern}`, '--duration', '1h', '--author', 'ana', '--comment', 'hostile'], { now: t0 });
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const db = openDatabase(file);
    const store = new SilenceStore(db);
    expectLinear((n) => expect(store.isSilenced({ slo: alternation.value(n) }, t0 + 1)).toEqual([]), valueLength);
    db.close();
  });

  it('a routing matcher in burnrate.yaml', () => {
    const file = join(dir, 'burnrate.yaml');
    writeFileSync(
      file,
      ['receivers: [{name: default}, {name: hostile}]', 'route:', '  receiver: default', '  routes:', `    - {matchers: ['slo=~"${nested.pattern}"'], receiver: hostile}`].join('\n'),
    );
    const routing = loadConfig(file, true, { db: join(dir, 'routing.db') }, dir, {}).routing;
    expect(routing).toBeDefined();
    const route = routing!.route;
    expectLinear((n) => expect(matchRoutes(route, { slo: nested.value(n) }).map((r) => r.receiver)).toEqual(['default']), valueLength);
  });

  it('an embedded store selector in a query, =~ and !~', async () => {
    const { backend } = newBackend();
    const long = (n: number) => nested.value(n);
    for (const n of [valueLength, 4 * valueLength]) backend.ingest(`a{x="${long(n)}",n="${n}"} 1`, { defaultTimestamp: 100 });
    await expectLinearAsync(async (n) => {
      expect(await instant(backend, `a{n="${n}",x=~"${nested.pattern}"}`, 100)).toEqual({});
      expect(Object.values(await instant(backend, `a{n="${n}",x!~"${nested.pattern}"}`, 100))).toEqual([1]);
    }, valueLength);
  });

  it('label_replace in a query', async () => {
    const { backend } = newBackend();
    for (const n of [valueLength, 4 * valueLength]) backend.ingest(`b{x="${alternation.value(n)}",n="${n}"} 1`, { defaultTimestamp: 100 });
    await expectLinearAsync(async (n) => {
      const result = await instant(backend, `label_replace(b{n="${n}"}, "y", "$1", "x", "${alternation.pattern}")`, 100);
      expect(Object.keys(result).map((labels) => 'y' in (JSON.parse(labels) as object))).toEqual([false]);
    }, valueLength);
  });
});

describe('RE2 semantics kept', () => {
  it('label_replace captures expand with Go $1 and ${name} over a long value', async () => {
    const { backend } = newBackend();
    backend.ingest(`b{x="${'a'.repeat(50_000)}-tail"} 1`, { defaultTimestamp: 100 });
    const result = await instant(backend, 'label_replace(b, "y", "${rest}:$1", "x", "(a+)+-(?P<rest>.*)")', 100);
    const [labels] = Object.keys(result).map((text) => JSON.parse(text) as Record<string, string>);
    expect(labels?.y).toBe(`tail:${'a'.repeat(50_000)}`);
  });

  it.each(['(a+)+', '(a|aa)+', '(.*.*)*', '((a*)*)*'])('captures of %s over a matching value take linear time', (pattern) => {
    const regex = compileAnchoredRe2(pattern);
    expectLinear((n) => expect(regex.exec('a'.repeat(n))?.[0]?.length).toBe(n), valueLength);
  });

  it('a pattern over the size bound is refused with the bound in the message, through each entry point', () => {
    const long = `(${'a|'.repeat(maxRegexLength / 2)}b)`;
    const message = `pattern too long: ${long.length} characters, at most ${maxRegexLength} are accepted`;
    expect(() => compileAnchoredRe2(long)).toThrow(message);
    expect(() => parseMatcher(`x=~"${long}"`)).toThrow(`invalid regular expression "${long}": ${message}`);
    expect(() => compileAnchoredRe2('a'.repeat(maxRegexLength))).not.toThrow();
  });

  it('the bound refuses a long pattern in a query as bad_query', async () => {
    const { backend } = newBackend();
    backend.ingest('a{x="1"} 1', { defaultTimestamp: 100 });
    await expect(instant(backend, `a{x=~"${'1|'.repeat(maxRegexLength)}1"}`, 100)).rejects.toMatchObject({ code: 'bad_query' });
  });

  it('compiling a pathological pattern is bounded as well', () => {
    // Go refuses repetition counts whose nesting multiplies past 1000, so programs stay small.
    expect(() => compileAnchoredRe2('((a{100}){100}){100}')).toThrow('invalid repeat count: `{100}`');
    expect(timeSync(() => compileAnchoredRe2(`(?:${'(?:a|b)?'.repeat(400)})*c`))).toBeLessThan(5000);
  });
});
