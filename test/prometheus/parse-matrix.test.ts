import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { parseMatrixAnswer, parseSampleValue } from '../../src/backends/prometheus/parse-matrix.js';

describe('parseSampleValue', () => {
  const cases: { name: string; text: unknown; value: number | undefined }[] = [
    { name: 'a decimal parses', text: '0.25', value: 0.25 },
    { name: 'an exponent parses', text: '1e-05', value: 0.00001 },
    { name: 'NaN is NaN', text: 'NaN', value: NaN },
    { name: '+Inf is infinity', text: '+Inf', value: Infinity },
    { name: '-Inf is negative infinity', text: '-Inf', value: -Infinity },
    { name: 'an empty string is not a value', text: '', value: undefined },
    { name: 'a bare number is not a Prometheus value', text: 3, value: undefined },
    { name: 'garbage is not a value', text: 'twelve', value: undefined },
  ];
  it.each(cases)('$name', ({ text, value }) => {
    expect(parseSampleValue(text)).toBe(value);
  });
});

describe('parseMatrixAnswer', () => {
  const good = {
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: { service: 'a' }, values: [[10, '1'], [20, '+Inf']] }] },
    warnings: ['store unavailable'],
  };

  it('parses series, points and warnings', () => {
    expect(parseMatrixAnswer(good)).toEqual({
      series: [{ labels: { service: 'a' }, points: [{ t: 10, value: 1 }, { t: 20, value: Infinity }] }],
      warnings: ['store unavailable'],
    });
  });

  const bad: { name: string; body: unknown; code: string; message: RegExp }[] = [
    { name: 'a non-JSON body', body: '<html>proxy error</html>', code: 'bad_response', message: /expected a JSON object/ },
    { name: 'an error status', body: { status: 'error', data: {} }, code: 'bad_response', message: /status is "error"/ },
    { name: 'a vector instead of a matrix', body: { status: 'success', data: { resultType: 'vector', result: [] } }, code: 'bad_response', message: /resultType is "vector"/ },
    { name: 'a value that is not a string', body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] } }, code: 'bad_response', message: /values\[0\]/ },
    { name: 'a timestamp that is not a number', body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [['1', '2']] }] } }, code: 'bad_response', message: /values\[0\]/ },
    { name: 'a label that is not a string', body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: { a: 1 }, values: [] }] } }, code: 'bad_response', message: /metric\.a/ },
    { name: 'native histograms', body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, histograms: [] }] } }, code: 'unsupported_query', message: /native histograms/ },
  ];
  it.each(bad)('rejects $name', ({ body, code, message }) => {
    const error = (() => {
      try {
        parseMatrixAnswer(body);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe(code);
    expect((error as BackendError).message).toMatch(message);
  });
});
