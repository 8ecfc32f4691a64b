import { ExpositionError, quoteInput } from './exposition-error.js';
import { LineError, parseSampleLine, type ExpositionFormat, type LineSeries } from './exposition-line.js';
import { parseGoFloat } from './go-float.js';
import { perPushLimitError } from './ingest-limits.js';

export type { ExpositionFormat } from './exposition-line.js';

export interface ParseExpositionOptions {
  /** Forces the dialect; otherwise OpenMetrics when the text ends with `# EOF`, else Prometheus text 0.0.4. */
  format?: ExpositionFormat;
  /** Milliseconds given to samples that carry no timestamp; without it such a sample is an error. */
  defaultTimestampMs?: number;
  /** Parsing stops with an IngestLimitError once the text has more series, or samples, than these. */
  maxSeries?: number;
  maxSamples?: number;
}

/** Parsed samples, columnar: sample i belongs to `series[seriesIndex[i]]`. */
export interface ParsedExposition {
  format: ExpositionFormat;
  series: LineSeries[];
  seriesIndex: number[];
  t: number[];
  value: number[];
}

const prometheusTypes = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Sample name suffixes each OpenMetrics family type allows. */
const openMetricsSuffixes: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function detectFormat(text: string): ExpositionFormat {
  return /(^|\n)# EOF\s*$/.test(text) ? 'openmetrics' : 'prometheus';
}

interface Family {
  name: string;
  type: string;
}

/** Reads `# HELP`, `# TYPE`, `# UNIT` and `# EOF`; returns the family a TYPE line declares, if any. */
function readDescriptor(line: string, format: ExpositionFormat): Family | 'eof' | undefined {
  if (format === 'openmetrics' && line === '# EOF') return 'eof';
  const match = /^#[ \t]+(HELP|TYPE|UNIT)(?:[ \t]+(\S+))?(?:[ \t](.*))?$/.exec(line);
  if (!match) {
    if (format === 'prometheus') return undefined; // any other comment
    throw new LineError(`expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got ${quoteInput(line)}`);
  }
  const keyword = match[1] as string;
  const name = match[2];
  if (name === undefined || !metricName.test(name)) {
    throw new LineError(`expected a metric name after "# ${keyword}", got ${quoteInput(name ?? 'end of line')}`);
  }
  if (keyword !== 'TYPE') return undefined;
  const type = (match[3] ?? '').trim();
  const known = format === 'prometheus' ? prometheusTypes.has(type) : type in openMetricsSuffixes;
  if (!known) {
    const allowed = format === 'prometheus' ? [...prometheusTypes] : Object.keys(openMetricsSuffixes);
    throw new LineError(`expected a metric type (${allowed.join(', ')}) after "# TYPE ${name}", got ${quoteInput(type || 'end of line')}`);
  }
  return { name, type };
}

const familySuffixes = new Set(['', '_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info']);

/** A sample named like a member of the current family must be one its type allows; other names start a new family. */
function checkOpenMetricsName(sampleName: string, family: Family | undefined): void {
  if (family === undefined || !sampleName.startsWith(family.name)) return;
  const suffix = sampleName.slice(family.name.length);
  const allowed = openMetricsSuffixes[family.type] ?? [''];
  if (allowed.includes(suffix) || !familySuffixes.has(suffix)) return;
  const names = allowed.map((s) => family.name + s).join(' or ');
  throw new LineError(`expected a ${family.type} sample named ${names}, got ${sampleName}`);
}

/**
 * Parses a Prometheus text 0.0.4 or OpenMetrics 1.0 exposition. Any malformed line rejects the whole text
 * with an {@link ExpositionError} naming the line and what was expected there.
 */
export function parseExposition(text: string, options: ParseExpositionOptions): ParsedExposition {
  const format = options.format ?? detectFormat(text);
  const lines = text.split('\n');
  // A final newline leaves one empty string behind; it is not a line of the input.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const result: ParsedExposition = { format, series: [], seriesIndex: [], t: [], value: [] };
  const cache = new Map<string, LineSeries>();
  const seriesPosition = new Map<LineSeries, number>();
  let family: Family | undefined;
  let sawEof = false;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    try {
      if (sawEof) throw new LineError(`expected nothing after "# EOF", got ${quoteInput(line)}`);
      if (line.trim() === '') {
        if (format === 'openmetrics') throw new LineError('expected a sample or a "#" line, got an empty line (OpenMetrics has no blank lines)');
        continue;
      }
      if (line.startsWith('#')) {
        const descriptor = readDescriptor(line, format);
        if (descriptor === 'eof') sawEof = true;
        else if (descriptor !== undefined) family = descriptor;
        continue;
      }
      const sample = parseSampleLine(line, format, cache, parseGoFloat);
      if (format === 'openmetrics') checkOpenMetricsName(sample.series.labels.__name__ ?? '', family);
      let index = seriesPosition.get(sample.series);
      if (index === undefined) {
        index = result.series.length;
        if (index >= (options.maxSeries ?? Number.POSITIVE_INFINITY)) throw perPushLimitError('seriesPerPush', options.maxSeries as number);
        result.series.push(sample.series);
        seriesPosition.set(sample.series, index);
      }
      if (result.t.length >= (options.maxSamples ?? Number.POSITIVE_INFINITY)) throw perPushLimitError('samplesPerPush', options.maxSamples as number);
      result.seriesIndex.push(index);
      const t = sample.t ?? options.defaultTimestampMs;
      if (t === undefined) throw new LineError('expected a timestamp: the sample has none and no default timestamp was given');
      result.t.push(t);
      result.value.push(sample.value);
    } catch (error) {
      if (error instanceof LineError) throw new ExpositionError(n + 1, error.message);
      throw error;
    }
  }
  if (format === 'openmetrics' && !sawEof) {
    throw new ExpositionError(lines.length, 'expected the OpenMetrics text to end with "# EOF"');
  }
  return result;
}
