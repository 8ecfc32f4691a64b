import { describe, expect, test } from 'vitest';
import { parseLabelSelector } from '../../src/promql/label-selector.js';

describe('parseLabelSelector accepts', () => {
  test.each([
    ['one equality', '{track="canary"}', [{ name: 'track', type: '=', value: 'canary', text: 'track="canary"' }]],
    ['a negation, for the stable side of a canary', '{track!="canary"}', [{ name: 'track', type: '!=', value: 'canary', text: 'track!="canary"' }]],
    [
      'regexes and several matchers, spaces and a trailing comma',
      ' { track=~"canary|shadow" , zone!~"eu-.*", } ',
      [
        { name: 'track', type: '=~', value: 'canary|shadow', text: 'track=~"canary|shadow"' },
        { name: 'zone', type: '!~', value: 'eu-.*', text: 'zone!~"eu-.*"' },
      ],
    ],
    ['single quotes and escapes, read as Prometheus reads them', "{path='a\\'b'}", [{ name: 'path', type: '=', value: "a'b", text: "path='a\\'b'" }]],
  ])('%s', (_sentence, selector, matchers) => {
    expect(parseLabelSelector(selector)).toEqual({ ok: true, matchers });
  });
});

describe('parseLabelSelector rejects, saying what is expected', () => {
  test.each([
    ['matchers without braces', 'track="canary"', 0, 'expected a label selector in braces, e.g. {track="canary"}, got "track=\\"canary\\""'],
    ['a bare word (a metric name)', 'canary', 0, 'expected label matchers only, e.g. {track="canary"}, got the metric name "canary": the SLI queries name their own metrics'],
    ['a metric name before the braces', 'http_requests_total{track="canary"}', 0, 'got the metric name "http_requests_total"'],
    ['the metric name as __name__', '{__name__="x", track="canary"}', 1, 'got a match on the metric name (__name__="x")'],
    ['a quoted metric name', '{"x", track="canary"}', 0, 'got the metric name "x"'],
    ['a range selector', '{track="canary"}[5m]', 0, 'expected a label selector in braces'],
    ['two selectors', '{track="canary"} or {track="shadow"}', 0, 'expected a label selector in braces'],
    ['an empty selector', '{}', 0, 'expected at least one label matcher, e.g. {track="canary"}: an empty selector selects every series of the SLI queries'],
    ['an empty string', '', 0, 'expected a label selector in braces'],
    ['an unquoted value', '{track=canary}', 7, 'invalid label selector: syntax error at column 8 near "canary"'],
    ['an unclosed brace', '{track="canary"', 15, 'invalid label selector: syntax error at column 16: unexpected end of query'],
    ['an invalid RE2 regex', '{track=~"canary(|"}', 8, 'invalid regular expression "canary(|" for label track: missing closing ): `canary(|`'],
    ['a lookahead (not RE2)', '{track=~"(?!stable).*"}', 8, 'invalid regular expression "(?!stable).*" for label track:'],
    ['a quoted label name', '{"track"="canary"}', 1, 'expected an unquoted label name, got "track"="canary"'],
  ])('%s', (_sentence, selector, offset, message) => {
    const parsed = parseLabelSelector(selector);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.message).toContain(message);
    expect(parsed.problem.offset).toBe(offset);
  });
});
