import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeScenarioOpenMetrics, type ScenarioOptions, type ScenarioOutput } from '../../src/demo/index.js';

const end = 1_790_000_000;
const day = 86_400;

class Collector extends Writable {
  readonly hash = createHash('sha256');
  text = '';
  constructor(private readonly keepText: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.hash.update(chunk);
    if (this.keepText) this.text += chunk.toString('utf8');
    done();
  }
}

async function generate(options: ScenarioOptions, keepText = false): Promise<{ digest: string; text: string; output: ScenarioOutput }> {
  const collector = new Collector(keepText);
  const output = await writeScenarioOpenMetrics(collector, options);
  return { digest: collector.hash.digest('hex'), text: collector.text, output };
}

interface Sample {
  series: string;
  value: number;
  t: number;
}

function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\S+) (\S+) (\d+)$/.exec(line);
      if (!match) throw new Error(`unexpected line ${line}`);
      return { series: match[1]!, value: Number(match[2]), t: Number(match[3]) };
    });
}

function bySeries(samples: Sample[]): Map<string, Sample[]> {
  const map = new Map<string, Sample[]>();
  for (const sample of samples) map.set(sample.series, [...(map.get(sample.series) ?? []), sample]);
  return map;
}

describe('writeScenarioOpenMetrics', () => {
  it('writes the same bytes for the same seed, and different bytes for another seed', async () => {
    const options = { end, days: 3, scrapeInterval: 30, seed: 7 };
    const [first, second, other] = await Promise.all([generate(options), generate(options), generate({ ...options, seed: 8 })]);
    expect(first.digest).toBe(second.digest);
    expect(other.digest).not.toBe(first.digest);
    expect(first.output).toEqual(second.output);
  });

  it('writes well-formed families and ends with # EOF', async () => {
    const { text, output } = await generate({ end, days: 1, scrapeInterval: 60 }, true);
    expect(text.startsWith('# HELP http_requests ')).toBe(true);
    expect(text).toContain('# TYPE http_requests counter\n');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(output.samples).toBe(parseSamples(text).length);
    expect([...bySeries(parseSamples(text)).keys()].sort()).toEqual([
      'http_request_duration_seconds_bucket{service="search",le="+Inf"}',
      'http_request_duration_seconds_bucket{service="search",le="0.1"}',
      'http_request_duration_seconds_bucket{service="search",le="0.3"}',
      'http_request_duration_seconds_bucket{service="search",le="1"}',
      'http_request_duration_seconds_count{service="search"}',
      'http_request_duration_seconds_sum{service="search"}',
      ...['catalog', 'checkout', 'ledger', 'search'].flatMap((s) => [`http_requests_total{service="${s}",code="200"}`, `http_requests_total{service="${s}",code="500"}`]),
    ]);
  });

  it('puts samples on the scrape grid, with a fixed offset per service unless offsets are off', async () => {
    const withOffsets = bySeries(parseSamples((await generate({ end, days: 1, scrapeInterval: 30 }, true)).text));
    const offsets = new Set([...withOffsets.values()].map((samples) => samples[0]!.t % 30));
    expect(offsets.size).toBeGreaterThan(1);
    for (const samples of withOffsets.values()) expect(samples.every((s, k) => s.t === samples[0]!.t + 30 * k)).toBe(true);
    const aligned = parseSamples((await generate({ end, days: 1, scrapeInterval: 30, offsets: false }, true)).text);
    expect(aligned.every((s) => s.t % 30 === 0)).toBe(true);
  });

  it('never lets a counter decrease except at the catalog restart, and keeps histograms consistent', async () => {
    const { text, output } = await generate({ end, days: 4, scrapeInterval: 30 }, true);
    const series = bySeries(parseSamples(text));
    const reset = output.incidents.find((i) => i.kind === 'counter-reset')!;
    const decreases: string[] = [];
    for (const [name, samples] of series) {
      if (!Number.isInteger(samples[0]!.value) && !name.includes('_sum')) throw new Error(`${name} is not an integer counter`);
      samples.forEach((s, k) => {
        if (k > 0 && s.value < samples[k - 1]!.value) decreases.push(`${name}@${s.t - reset.start < 30 && s.t >= reset.start ? 'reset' : s.t}`);
      });
    }
    expect(decreases).toContain('http_requests_total{service="catalog",code="200"}@reset');
    expect(decreases.every((d) => /^http_requests_total\{service="catalog",code="\d+"\}@reset$/.test(d))).toBe(true);

    const bucket = (le: string) => series.get(`http_request_duration_seconds_bucket{service="search",le="${le}"}`)!;
    const count = series.get('http_request_duration_seconds_count{service="search"}')!;
    const [b01, b03, b1, inf] = [bucket('0.1'), bucket('0.3'), bucket('1'), bucket('+Inf')];
    count.forEach((c, k) => {
      expect(b01[k]!.value).toBeLessThanOrEqual(b03[k]!.value);
      expect(b03[k]!.value).toBeLessThanOrEqual(b1[k]!.value);
      expect(b1[k]!.value).toBeLessThanOrEqual(inf[k]!.value);
      expect(inf[k]!.value).toBe(c.value);
    });
    const requests = (code: string) => series.get(`http_requests_total{service="search",code="${code}"}`)!;
    count.forEach((c, k) => expect(c.value).toBe(requests('200')[k]!.value + requests('500')[k]!.value));
  });

  it('lists the incidents at their planned offsets before the end, with the counts it generated', async () => {
    const { output } = await generate({ end, days: 10, scrapeInterval: 30 });
    const summary = output.incidents.map((i) => ({
      service: i.service,
      kind: i.kind,
      daysBeforeEnd: Math.round(((end - i.start) / day) * 10) / 10,
      minutes: (i.end - i.start) / 60,
    }));
    expect(summary).toEqual([
      { service: 'checkout', kind: 'minor-burn', daysBeforeEnd: 9, minutes: 60 },
      { service: 'search', kind: 'latency-regression', daysBeforeEnd: 6, minutes: 120 },
      { service: 'search', kind: 'slow-burn', daysBeforeEnd: 4.5, minutes: 1080 },
      { service: 'catalog', kind: 'counter-reset', daysBeforeEnd: 3, minutes: 0 },
      { service: 'checkout', kind: 'fast-burn', daysBeforeEnd: 2, minutes: 25 },
      { service: 'ledger', kind: 'failure-burst', daysBeforeEnd: 1, minutes: 8 },
    ]);
    const ratio = (kind: string) => {
      const incident = output.incidents.find((i) => i.kind === kind)!;
      return incident.events.bad / incident.events.total;
    };
    expect(ratio('fast-burn')).toBe(1);
    expect(ratio('minor-burn')).toBeCloseTo(0.2, 2);
    expect(ratio('slow-burn')).toBeCloseTo(0.025, 3);
    expect(ratio('latency-regression')).toBeCloseTo(0.15, 2);
    expect(output.incidents.find((i) => i.kind === 'failure-burst')!.events).toEqual({ total: 16, bad: 8 });
  });

  it('rejects a scrape interval that is not a whole number of seconds', async () => {
    await expect(generate({ end, days: 1, scrapeInterval: 0.5 })).rejects.toThrow(/whole number of seconds/);
  });
});
