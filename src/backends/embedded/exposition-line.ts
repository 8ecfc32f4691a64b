import { quoteInput } from './exposition-error.js';
import { labelsKey, metricNameLabel, type Labels } from './labels.js';

/** Which dialect a line is read in: label escapes and timestamp units differ. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface LineSeries {
  labels: Labels;
  key: string;
}

/** A sample line split into its parts; `series` is shared by every line naming the same series text. */
export interface SampleLine {
  series: LineSeries;
  value: number;
  /** Milliseconds, or undefined when the line has no timestamp. */
  t: number | undefined;
}

/** Thrown by the line reader; the caller adds the line number. */
export class LineError extends Error {}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;
const COMMA = 44;
const EQUALS = 61;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isLabelStart(c: number): boolean {
  return c !== 58 && isNameStart(c);
}
function isLabelChar(c: number): boolean {
  return c !== 58 && isNameChar(c);
}
function skipBlanks(line: string, i: number): number {
  let c = line.charCodeAt(i);
  while (c === SPACE || c === TAB) c = line.charCodeAt(++i);
  return i;
}
function rest(line: string, i: number): string {
  return i >= line.length ? 'end of line' : quoteInput(line.slice(i));
}

/**
 * Returns the index just past the name and label block, or -1 when the block is not well formed
 * (the slow path then reports exactly what is wrong). Quotes and escapes are honoured, so a `}`
 * inside a label value does not end the block.
 */
function seriesEnd(line: string): number {
  let i = 0;
  while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== OPEN) return i;
  let quoted = false;
  for (i++; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) quoted = true;
    else if (c === CLOSE) return i + 1;
  }
  return -1;
}

function unescapeValue(raw: string, format: ExpositionFormat, label: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === '\\' || next === '"') out += next;
    else if (next === 'n') out += '\n';
    else if (format === 'prometheus') out += `\\${next ?? ''}`;
    else throw new LineError(`unknown escape "\\${next ?? ''}" in the value of label "${label}" (only \\\\, \\" and \\n are allowed)`);
  }
  return out;
}

/** Reads `name{a="1",b="2"}` (the block is optional) into a label set; empty values mean "absent". */
function parseSeries(text: string, format: ExpositionFormat): LineSeries {
  let i = 0;
  if (!isNameStart(text.charCodeAt(0))) throw new LineError(`expected a metric name, got ${rest(text, 0)}`);
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const labels: Record<string, string> = { [metricNameLabel]: text.slice(0, i) };
  const seen = new Set<string>();
  if (text.charCodeAt(i) !== OPEN) return { labels, key: labelsKey(labels) };
  i = skipBlanks(text, i + 1);
  while (text.charCodeAt(i) !== CLOSE) {
    const start = i;
    if (!isLabelStart(text.charCodeAt(i))) throw new LineError(`expected a label name or "}", got ${rest(text, i)}`);
    while (i < text.length && isLabelChar(text.charCodeAt(i))) i++;
    const name = text.slice(start, i);
    if (name === metricNameLabel) throw new LineError(`label "${metricNameLabel}" is not allowed, the metric name sets it`);
    if (seen.has(name)) throw new LineError(`label "${name}" appears twice`);
    seen.add(name);
    i = skipBlanks(text, i);
    if (text.charCodeAt(i) !== EQUALS) throw new LineError(`expected "=" after label name "${name}", got ${rest(text, i)}`);
    i = skipBlanks(text, i + 1);
    if (text.charCodeAt(i) !== QUOTE) throw new LineError(`expected a quoted value for label "${name}", got ${rest(text, i)}`);
    const valueStart = ++i;
    while (i < text.length && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
    if (i >= text.length) throw new LineError(`expected a closing quote for the value of label "${name}"`);
    const value = unescapeValue(text.slice(valueStart, i), format, name);
    if (value !== '') labels[name] = value;
    i = skipBlanks(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === COMMA) i = skipBlanks(text, i + 1);
    else if (c !== CLOSE) throw new LineError(`expected "," or "}" after the value of label "${name}", got ${rest(text, i)}`);
  }
  return { labels, key: labelsKey(labels) };
}

const prometheusTimestamp = /^-?\d+$/;

function parseTimestamp(token: string, format: ExpositionFormat, parseFloat: (text: string) => number | undefined): number {
  if (format === 'prometheus') {
    if (!prometheusTimestamp.test(token)) {
      throw new LineError(`expected a timestamp in integer milliseconds after the value, got ${quoteInput(token)}`);
    }
    return Number(token);
  }
  const seconds = parseFloat(token);
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw new LineError(`expected a timestamp in seconds after the value, got ${quoteInput(token)}`);
  }
  // OpenMetrics timestamps are seconds; truncating to milliseconds matches Prometheus' reader.
  return Math.trunc(seconds * 1000);
}

function token(line: string, i: number): string {
  let end = i;
  while (end < line.length) {
    const c = line.charCodeAt(end);
    if (c === SPACE || c === TAB) break;
    end++;
  }
  return line.slice(i, end);
}

/**
 * Reads one sample line. `cache` maps the raw series text to its parsed labels so that a series repeated on
 * many lines (backfill files) is parsed once.
 */
export function parseSampleLine(
  line: string,
  format: ExpositionFormat,
  cache: Map<string, LineSeries>,
  parseFloat: (text: string) => number | undefined,
): SampleLine {
  const end = seriesEnd(line);
  if (end <= 0) {
    parseSeries(line, format);
    throw new LineError(`expected a metric name, got ${rest(line, 0)}`);
  }
  const text = line.slice(0, end);
  let series = cache.get(text);
  if (series === undefined) {
    series = parseSeries(line, format);
    cache.set(text, series);
  }
  let i = skipBlanks(line, end);
  if (i === end && i < line.length) {
    throw new LineError(`expected a space after ${text.includes('{') ? 'the labels' : 'the metric name'}, got ${rest(line, i)}`);
  }
  const where = text.includes('{') ? 'after the labels' : 'after the metric name';
  const valueToken = token(line, i);
  if (valueToken === '') throw new LineError(`expected a sample value ${where}, got end of line`);
  const value = parseFloat(valueToken);
  if (value === undefined) throw new LineError(`expected a sample value ${where}, got ${quoteInput(valueToken)}`);
  i = skipBlanks(line, i + valueToken.length);
  let t: number | undefined;
  if (i < line.length && !(format === 'openmetrics' && line.charCodeAt(i) === 35)) {
    const timestampToken = token(line, i);
    t = parseTimestamp(timestampToken, format, parseFloat);
    i = skipBlanks(line, i + timestampToken.length);
  }
  if (i < line.length) {
    if (format === 'openmetrics' && line.startsWith('# {', i)) return { series, value, t };
    throw new LineError(`expected end of line after the ${t === undefined ? 'value' : 'timestamp'}, got ${rest(line, i)}`);
  }
  return { series, value, t };
}
