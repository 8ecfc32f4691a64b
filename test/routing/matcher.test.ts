import { describe, expect, it } from 'vitest';
import { formatMatcher, matches, matchesEmpty, parseMatcher, type Matcher } from '../../src/routing/matcher.js';

describe('parseMatcher', () => {
  const cases: Array<[string, string, Matcher]> = [
    ['a quoted equality', 'team="payments"', { name: 'team', type: '=', value: 'payments' }],
    ['an unquoted value', 'team=payments', { name: 'team', type: '=', value: 'payments' }],
    ['spaces around every token', '  team  !=  "pay ments"  ', { name: 'team', type: '!=', value: 'pay ments' }],
    ['a regex, =~ read before =', 'severity=~"page|ticket"', { name: 'severity', type: '=~', value: 'page|ticket' }],
    ['a negative regex', 'env!~prod.*', { name: 'env', type: '!~', value: 'prod.*' }],
    ['an empty quoted value', 'x=""', { name: 'x', type: '=', value: '' }],
    ['an empty bare value', 'x=', { name: 'x', type: '=', value: '' }],
    ['escaped quote, backslash and newline', String.raw`q="say \"hi\" \\ \n"`, { name: 'q', type: '=', value: 'say "hi" \\ \n' }],
    ['a lone backslash before another letter stays literal', String.raw`p="a\d"`, { name: 'p', type: '=', value: 'a\\d' }],
    ['a colon in the label name', 'job:rule="x"', { name: 'job:rule', type: '=', value: 'x' }],
    ['an equals sign inside the value', 'q="a=b"', { name: 'q', type: '=', value: 'a=b' }],
  ];
  it.each(cases)('parses %s', (_, text, expected) => {
    expect(parseMatcher(text)).toEqual(expected);
  });

  const bad: Array<[string, string, string]> = [
    ['no operator', 'team', 'bad matcher format: expected name="value" with =, !=, =~ or !~, got "team"'],
    ['a label name starting with a digit', '0team="a"', 'bad matcher format: expected name="value" with =, !=, =~ or !~, got "0team=\\"a\\""'],
    ['an unterminated quote', 'team="payments', 'matcher value contains an unescaped double quote: "payments'],
    ['a quote inside a bare value', 'team=pay"ments', 'matcher value contains an unescaped double quote: pay"ments'],
    ['text after the closing quote', 'team="a"b', 'matcher value contains an unescaped double quote: "a"b'],
    ['a bad regex', 'team=~"(a"', 'invalid regular expression "(a": '],
  ];
  it.each(bad)('rejects %s', (_, text, message) => {
    expect(() => parseMatcher(text)).toThrow(message);
  });

  it('formatMatcher writes what parseMatcher reads back', () => {
    for (const text of ['a="b"', String.raw`q="say \"hi\" \\ \n"`, 'x!~"a|b"', 'y=""']) {
      const matcher = parseMatcher(text);
      expect(parseMatcher(formatMatcher(matcher))).toEqual(matcher);
    }
    expect(formatMatcher({ name: 'a', type: '!=', value: 'b"c' })).toBe('a!="b\\"c"');
  });
});

describe('matching', () => {
  const cases: Array<[string, string, Record<string, string>, boolean]> = [
    ['equality matches the value', 'team="a"', { team: 'a' }, true],
    ['equality does not match another value', 'team="a"', { team: 'b' }, false],
    ['regex is anchored at both ends', 'team=~"pay"', { team: 'payments' }, false],
    ['regex is anchored: a prefix pattern must cover all', 'team=~"pay.*"', { team: 'payments' }, true],
    ['an alternation is anchored as a whole', 'sev=~"page|ticket"', { sev: 'xpage' }, false],
    ['!= on a missing label matches', 'env!="prod"', {}, true],
    ['=~ "" matches a missing label', 'env=~""', {}, true],
    ['= "" matches a missing label', 'env=""', {}, true],
    ['= "" does not match a present label', 'env=""', { env: 'x' }, false],
    ['!~ on a missing label matches when the regex does not match ""', 'env!~".+"', {}, true],
    ['=~ ".+" does not match a missing label', 'env=~".+"', {}, false],
  ];
  it.each(cases)('%s', (_, text, labels, expected) => {
    expect(matches(parseMatcher(text), labels)).toBe(expected);
  });

  const empties: Array<[string, string, boolean]> = [
    ['= with an empty value matches the empty string', 'a=""', true],
    ['= with a value does not', 'a="b"', false],
    ['=~ matching "" does', 'a=~".*"', true],
    ['=~ not matching "" does not', 'a=~".+"', false],
    ['!= never counts, as in Alertmanager', 'a!="b"', false],
    ['!~ never counts, as in Alertmanager', 'a!~"b"', false],
  ];
  it.each(empties)('matchesEmpty: %s', (_, text, expected) => {
    expect(matchesEmpty(parseMatcher(text))).toBe(expected);
  });
});
