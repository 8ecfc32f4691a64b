import { describe, expect, test } from 'vitest';
import { BackendError, type Series } from '../../src/backends/backend.js';
import { instant, newBackend } from './fixtures.js';

function fixture() {
  const { backend } = newBackend();
  backend.ingest(['b{job="x",code="200"} 10', 'b{job="y",code="500"} 20'].join('\n'), { defaultTimestamp: 1000 });
  return backend;
}

describe('label_replace follows Prometheus 2.42', () => {
  test.each<[string, string, Record<string, number>]>([
    ['a constant replacement with an empty regex on an absent source label adds the label', 'label_replace(b, "w", "60", "", "")', {
      '{"__name__":"b","code":"200","job":"x","w":"60"}': 10, '{"__name__":"b","code":"500","job":"y","w":"60"}': 20,
    }],
    ['captures expand as Go ExpandString does ($1x names group "1x"; $$; a malformed $ stays)',
      'label_replace(b{job="x"}, "dst", "$1x-${1}x-$2-$$-$-${bad-$code", "code", "(\\\\d)(0*)")', {
        '{"__name__":"b","code":"200","dst":"-2x-00-$-$-${bad-","job":"x"}': 10,
      }],
    ['named groups expand by name, and a leading zero makes a name, not an index',
      'label_replace(b{job="x"}, "d", "$name-${name}-$01-$0", "job", "(?P<name>x)")', {
        '{"__name__":"b","code":"200","d":"x-x--x","job":"x"}': 10,
      }],
    ['the regex is anchored: a partial match leaves the series unchanged', 'label_replace(b, "job", "z", "job", "x|y.")', {
      '{"__name__":"b","code":"200","job":"z"}': 10, '{"__name__":"b","code":"500","job":"y"}': 20,
    }],
    ['an empty result removes the destination label', 'label_replace(b, "job", "$1", "code", "2(9)?.*")', {
      '{"__name__":"b","code":"200"}': 10, '{"__name__":"b","code":"500","job":"y"}': 20,
    }],
    ['the destination may be the metric name', 'label_replace(b, "__name__", "renamed_$1", "job", "(x)")', {
      '{"__name__":"renamed_x","code":"200","job":"x"}': 10, '{"__name__":"b","code":"500","job":"y"}': 20,
    }],
    ['an existing destination label is overwritten', 'label_replace(b, "code", "${1}xx", "code", "(\\\\d).*")', {
      '{"__name__":"b","code":"2xx","job":"x"}': 10, '{"__name__":"b","code":"5xx","job":"y"}': 20,
    }],
    ['string arguments may be parenthesised', 'label_replace(b{job="x"}, ("w"), (("1")), "", "")', {
      '{"__name__":"b","code":"200","job":"x","w":"1"}': 10,
    }],
    ['RE2 syntax is translated', 'label_replace(b, "d", "$1", "job", "([[:alpha:]])\\\\z")', {
      '{"__name__":"b","code":"200","d":"x","job":"x"}': 10, '{"__name__":"b","code":"500","d":"y","job":"y"}': 20,
    }],
  ])('%s', async (_name, expr, expected) => {
    expect(await instant(fixture(), expr, 1000)).toEqual(expected);
  });

  test.each([
    ['an invalid destination label name', 'label_replace(b, "1x", "$1", "job", "(x)")', 'invalid destination label name in label_replace(): 1x'],
    ['an empty destination label name', 'label_replace(b, "", "v", "job", ".*")', 'invalid destination label name in label_replace(): '],
    ['an invalid regex', 'label_replace(b, "d", "$1", "job", "(x")', 'invalid regular expression in label_replace(): (x ('],
    ['too few arguments', 'label_replace(b, "a", "b", "c")', 'expected 5 argument(s) in call to "label_replace", got 4'],
    ['a number where a string belongs', 'label_replace(b, "a", "b", "c", 1)', 'expected type string in call to function "label_replace", got scalar'],
    ['a scalar where a vector belongs', 'label_replace(1, "a", "b", "c", "d")', 'expected type instant vector in call to function "label_replace", got scalar'],
    ['two output series with one label set', 'label_replace(label_replace(b, "job", "z", "", ""), "code", "", "", "")',
      'vector cannot contain metrics with the same labelset'],
  ])('%s is bad_query', async (_name, expr, message) => {
    const error = await instant(fixture(), expr, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('bad_query');
    expect((error as BackendError).message.startsWith(message)).toBe(true);
  });

  test('an invalid destination is rejected even when the selector matches nothing', async () => {
    await expect(instant(fixture(), 'label_replace(nothing, "a-b", "", "", "")', 1000)).rejects.toThrow('invalid destination label name');
  });
});

describe('one indicator query returning several windows at once', () => {
  const windows = [['1m', '60'], ['5m', '300'], ['1h', '3600']] as const;
  const expr = windows
    .map(([range, seconds]) => `label_replace(sum(rate(http_requests_total{service="checkout"}[${range}])), "burnrate_window", "${seconds}", "", "")`)
    .join('\nor ');

  /** A counter rising 1 per second, sampled every 15 s, with no samples between 3600 s and 3900 s. */
  function counterWithGap() {
    const { backend } = newBackend();
    const lines = ['# TYPE http_requests counter'];
    for (let t = 0; t <= 7200; t += 15) {
      if (t > 3600 && t < 3900) continue;
      lines.push(`http_requests_total{service="checkout",instance="a"} ${t} ${t}`);
      lines.push(`http_requests_total{service="search",instance="a"} ${2 * t} ${t}`);
    }
    lines.push('# EOF');
    backend.ingest(`${lines.join('\n')}\n`);
    return backend;
  }

  test('every window is its own series; the 1m window is absent where its sum has no data', async () => {
    const start = 1800;
    const end = 4500;
    const series = await counterWithGap().queryRange({ expr, start, end, step: 60 });
    expect(series.map((s) => s.labels)).toEqual([{ burnrate_window: '300' }, { burnrate_window: '3600' }, { burnrate_window: '60' }]);
    const steps = Array.from({ length: (end - start) / 60 + 1 }, (_, i) => start + i * 60);
    const byWindow: Partial<Record<string, Series['points']>> = Object.fromEntries(series.map((s) => [s.labels.burnrate_window, s.points]));
    const gapSteps = [3660, 3720, 3780, 3840, 3900];
    expect(byWindow['60']?.map((p) => p.t)).toEqual(steps.filter((t) => !gapSteps.includes(t)));
    expect(byWindow['300']?.map((p) => p.t)).toEqual(steps);
    expect(byWindow['3600']?.map((p) => p.t)).toEqual(steps);
    // Away from the gap every window sees whole 15 s intervals of a counter rising 1/s.
    for (const window of ['60', '300', '3600']) {
      expect(byWindow[window]?.find((p) => p.t === 4500)?.value, window).toBeCloseTo(1, 12);
    }
    expect(byWindow['60']?.find((p) => p.t === 3960)?.value).toBeCloseTo(1, 12);
  });

  test('the windows equal the same sums queried one by one', async () => {
    const backend = counterWithGap();
    const combined = await backend.queryRange({ expr, start: 3000, end: 4200, step: 30 });
    for (const [range, seconds] of windows) {
      const [alone] = await backend.queryRange({ expr: `sum(rate(http_requests_total{service="checkout"}[${range}]))`, start: 3000, end: 4200, step: 30 });
      expect(combined.find((s) => s.labels.burnrate_window === seconds)?.points, range).toEqual(alone?.points);
    }
  });
});
