import { describe, expect, test } from 'vitest';
import { compileMatcher, type MatchType } from '../../src/labels/matchers.js';
import { instant, newBackend } from './fixtures.js';

describe('label matcher semantics', () => {
  test.each<[string, MatchType, string, string, boolean]>([
    ['= matches the exact value', '=', 'api', 'api', true],
    ['= does not match a prefix', '=', 'api', 'api2', false],
    ['= "" matches an absent label', '=', '', '', true],
    ['!= excludes the value', '!=', 'api', 'api', false],
    ['!= keeps other values', '!=', 'api', 'web', true],
    ['=~ is anchored at both ends', '=~', 'ap', 'api', false],
    ['=~ alternatives are anchored as a group', '=~', 'a|web', 'api', false],
    ['=~ .* matches the empty string', '=~', '.*', '', true],
    ['=~ . does not match a newline (Go RE2 default)', '=~', 'a.b', 'a\nb', false],
    ['=~ (?s) lets . match a newline', '=~', '(?s)a.b', 'a\nb', true],
    ['=~ (?i) is case-insensitive', '=~', '(?i)API', 'api', true],
    ['=~ \\d is ASCII digits', '=~', '\\d+', '123', true],
    ['=~ POSIX classes work inside brackets', '=~', '[[:alpha:]]+', 'abc', true],
    ['=~ POSIX classes reject what they exclude', '=~', '[[:alpha:]]+', 'ab1', false],
    ['=~ escaped punctuation is literal', '=~', 'a\\-b\\_c', 'a-b_c', true],
    ['=~ a lone { is literal as in RE2', '=~', 'a{', 'a{', true],
    ['=~ repetition counts', '=~', 'a{2,3}', 'aaa', true],
    ['=~ (?P<name>) groups are accepted', '=~', '(?P<x>a)b', 'ab', true],
    ['=~ \\Q…\\E quotes metacharacters', '=~', '\\Qa.b\\E', 'axb', false],
    ['=~ . matches one code point, not half of one', '=~', '.', '😀', true],
    ['=~ (?m) makes ^ and $ match at line breaks inside the pattern', '=~', '(?m)a$\\nb', 'a\nb', true],
    ['=~ (?m) leaves the whole-value anchoring in place', '=~', '(?m)a', 'a\nb', false],
    ['=~ . matches a carriage return, as in Go', '=~', 'a.b', 'a\rb', true],
    ['=~ flags may be set in the middle of a pattern', '=~', 'a(?i)b', 'aB', true],
    ['=~ flags in a group end with it', '=~', '(?i:a)b', 'AB', false],
    ['=~ (?U) makes repetition lazy, the value is still matched whole', '=~', '(?U)a+', 'aaa', true],
    ['=~ \\pN is a Unicode class', '=~', '\\pN+', '42', true],
    ['!~ negates an anchored match', '!~', '5..', '503', false],
    ['!~ keeps non-matching values', '!~', '5..', '200', true],
  ])('%s', (_name, type, value, input, expected) => {
    expect(compileMatcher({ name: 'x', type, value }).matches(input)).toBe(expected);
  });

  test.each([
    ['a repetition count over 1000', 'a{1001}', 'invalid repeat count: `{1001}`'],
    ['lookahead, which RE2 lacks', 'a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a backreference', '(a)\\1', 'invalid escape sequence: `\\1`'],
    ['an unclosed group, in the words of the pattern as written', '(a', 'missing closing ): `(a`'],
  ])('RE2 refuses %s', (_name, value, message) => {
    expect(() => compileMatcher({ name: 'x', type: '=~', value })).toThrow(message);
  });

  test('selectors filter stored series, including __name__ regexes and absent labels', async () => {
    const { backend } = newBackend();
    backend.ingest(
      ['a{job="api",code="200"} 1', 'a{job="api",code="500"} 2', 'a{job="web"} 3', 'b{job="api"} 4', 'ab{job="api"} 5'].join('\n'),
      { defaultTimestamp: 100 },
    );
    const values = async (expr: string) => Object.values(await instant(backend, expr, 100)).sort((x, y) => x - y);
    expect(await values('a')).toEqual([1, 2, 3]);
    expect(await values('a{code="500"}')).toEqual([2]);
    expect(await values('a{code=""}')).toEqual([3]);
    expect(await values('a{code!="200"}')).toEqual([2, 3]);
    expect(await values('a{code=~"2.."}')).toEqual([1]);
    expect(await values('a{code!~"2..|5.."}')).toEqual([3]);
    expect(await values('{__name__=~"a|b"}')).toEqual([1, 2, 3, 4]);
    expect(await values('{__name__=~"a.*", job="api"}')).toEqual([1, 2, 5]);
    expect(await values('{__name__!="a", job="api"}')).toEqual([4, 5]);
  });
});
