import { describe, expect, test } from 'vitest';
import { detectFormat, parseExposition } from '../../src/backends/embedded/exposition-parser.js';
import { ExpositionError } from '../../src/backends/embedded/exposition-error.js';
import { newBackend } from './fixtures.js';

function samples(text: string, options: Parameters<typeof parseExposition>[1] = { defaultTimestampMs: 5000 }) {
  const parsed = parseExposition(text, options);
  return parsed.t.map((t, i) => ({ labels: parsed.series[parsed.seriesIndex[i] as number]?.labels, t, value: parsed.value[i] }));
}

function errorOf(text: string, options: Parameters<typeof parseExposition>[1] = { defaultTimestampMs: 0 }): ExpositionError {
  try {
    parseExposition(text, options);
  } catch (error) {
    if (error instanceof ExpositionError) return error;
    throw error;
  }
  throw new Error('expected an ExpositionError');
}

describe('Prometheus text format 0.0.4', () => {
  test('reads HELP/TYPE, labels, integer millisecond timestamps and the default timestamp', () => {
    const text = [
      '# HELP http_requests_total Requests. With \\\\ and \\n escapes.',
      '# TYPE http_requests_total counter',
      'http_requests_total{code="200",method="get"} 1027 1395066363000',
      'http_requests_total{ code = "400" , } 3',
      '# a plain comment',
      '',
      'up 1',
    ].join('\n');
    expect(samples(text)).toEqual([
      { labels: { __name__: 'http_requests_total', code: '200', method: 'get' }, t: 1395066363000, value: 1027 },
      { labels: { __name__: 'http_requests_total', code: '400' }, t: 5000, value: 3 },
      { labels: { __name__: 'up' }, t: 5000, value: 1 },
    ]);
  });

  test('unescapes \\\\, \\" and \\n in label values and drops empty values', () => {
    const [sample] = samples('m{path="C:\\\\dir\\"x\\"",text="a\\nb",empty=""} 1 1000\n');
    expect(sample?.labels).toEqual({ __name__: 'm', path: 'C:\\dir"x"', text: 'a\nb' });
  });

  test('reads NaN, +Inf, -Inf, exponents and negative timestamps', () => {
    const values = samples('a NaN 1\nb +Inf 2\nc -Inf 3\nd 1.5e3 -4\n');
    expect(values.map((s) => s.value)).toEqual([Number.NaN, Infinity, -Infinity, 1500]);
    expect(values.map((s) => s.t)).toEqual([1, 2, 3, -4]);
  });

  test('a fractional timestamp is an error: Prometheus text timestamps are integer milliseconds', () => {
    expect(errorOf('a 1 1.5\n').message).toBe(
      'line 1: expected a timestamp in integer milliseconds after the value, got "1.5"; the whole input was rejected, nothing was ingested',
    );
  });
});

describe('OpenMetrics 1.0 text', () => {
  test('keeps _total and _created series, reads timestamps as (fractional) seconds, needs # EOF', () => {
    const text = [
      '# TYPE requests counter',
      '# HELP requests All requests.',
      '# UNIT requests_seconds seconds',
      'requests_total{code="200"} 10 1700000000.5',
      'requests_created{code="200"} 1699990000 1700000000.5',
      'requests_total{code="200"} 11 1700000001 # {trace_id="abc"} 1 1700000000.9',
      '# EOF',
      '',
    ].join('\n');
    expect(detectFormat(text)).toBe('openmetrics');
    expect(samples(text)).toEqual([
      { labels: { __name__: 'requests_total', code: '200' }, t: 1700000000500, value: 10 },
      { labels: { __name__: 'requests_created', code: '200' }, t: 1700000000500, value: 1699990000 },
      { labels: { __name__: 'requests_total', code: '200' }, t: 1700000001000, value: 11 },
    ]);
  });

  test('the caller can force OpenMetrics, which then requires # EOF', () => {
    expect(errorOf('a_total 1 1\n', { format: 'openmetrics' }).message).toContain('expected the OpenMetrics text to end with "# EOF"');
  });

  test.each([
    ['a counter sample without _total', '# TYPE x counter\nx 1 1\n# EOF\n', 'line 2: expected a counter sample named x_total or x_created, got x'],
    ['a line after # EOF', 'a 1\n# EOF\nb 2\n', 'line 3: expected nothing after "# EOF", got "b 2"'],
    ['a blank line', 'a 1\n\nb 2\n# EOF\n', 'line 2: expected a sample or a "#" line, got an empty line (OpenMetrics has no blank lines)'],
    ['an unknown escape', 'a{x="\\t"} 1\n# EOF\n', 'line 1: unknown escape "\\t" in the value of label "x"'],
    ['a free comment', '# hello\n# EOF\n', 'line 1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "# hello"'],
    ['an unknown type', '# TYPE x countr\n# EOF\n', 'line 1: expected a metric type (counter, gauge'],
  ])('rejects %s', (_name, text, message) => {
    expect(errorOf(text, { format: 'openmetrics', defaultTimestampMs: 0 }).message).toContain(message);
  });
});

describe('errors name the line and what was expected', () => {
  test.each([
    ['a word where the value belongs', 'a 1\nb{x="1"} abc\n', 2, 'expected a sample value after the labels, got "abc"'],
    ['no value after a bare name', 'up\n', 1, 'expected a sample value after the metric name, got end of line'],
    ['an unterminated label value', 'a{x="1} 1\n', 1, 'expected a closing quote for the value of label "x"'],
    ['a missing =', 'a{x "1"} 1\n', 1, 'expected "=" after label name "x", got "\\"1\\"} 1"'],
    ['an unquoted label value', 'a{x=1} 1\n', 1, 'expected a quoted value for label "x", got "1} 1"'],
    ['a repeated label', 'a{x="1",x="2"} 1\n', 1, 'label "x" appears twice'],
    ['a bad metric name', '9a 1\n', 1, 'expected a metric name, got "9a 1"'],
    ['trailing text', 'a 1 2 3\n', 1, 'expected end of line after the timestamp, got "3"'],
  ])('%s', (_name, text, line, detail) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.detail).toBe(detail);
    expect(error.message).toBe(`line ${line}: ${detail}; the whole input was rejected, nothing was ingested`);
  });

  test('a sample without timestamp needs a default timestamp', () => {
    expect(errorOf('a 1\n', {}).detail).toBe('expected a timestamp: the sample has none and no default timestamp was given');
  });

  test('a bad line late in the input leaves the store untouched (all or nothing)', async () => {
    const { db, backend } = newBackend();
    const good = Array.from({ length: 1000 }, (_, i) => `a_total ${i} ${i * 1000}`);
    expect(() => backend.ingest([...good, 'a_total oops 5'].join('\n'))).toThrow(/line 1001: .*nothing was ingested/);
    expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sample_series').pluck().get()).toBe(0);
    expect(backend.ingest(good.join('\n'))).toMatchObject({ series: 1, samples: 1000, rejected: { total: 0 } });
  });
});
