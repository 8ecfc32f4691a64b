import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Incident } from './incidents.js';
import { resolveScenario, simulateService, type ResolvedScenario, type ScenarioOptions } from './simulate.js';
import { serviceProfiles } from './services.js';

export interface ScenarioOutput {
  samples: number;
  /** Ordered by start time. */
  incidents: Incident[];
}

const flushBytes = 1 << 18;
const bucketBounds = ['0.1', '0.3', '1', '+Inf'] as const;

/** Buffers lines and writes them with backpressure, so the full history never sits in one string. */
class LineSink {
  private buffer: string[] = [];
  private size = 0;
  samples = 0;
  constructor(private readonly out: Writable) {}

  async sample(line: string): Promise<void> {
    this.samples += 1;
    await this.line(line);
  }

  async line(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size >= flushBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

async function writeRequestCounters(sink: LineSink, scenario: ResolvedScenario, incidents: Incident[]): Promise<void> {
  await sink.line('# HELP http_requests Requests handled, by service and status code.');
  await sink.line('# TYPE http_requests counter');
  for (const profile of serviceProfiles) {
    for (const code of ['200', '500'] as const) {
      // Incident counts are gathered on the first replay of each service only.
      const ticks = simulateService(scenario, profile, code === '200' ? incidents : undefined);
      for (const tick of ticks) {
        const value = code === '200' ? tick.ok : tick.errors;
        await sink.sample(`http_requests_total{service="${profile.service}",code="${code}"} ${value} ${tick.t}`);
      }
    }
  }
}

async function writeLatencyHistogram(sink: LineSink, scenario: ResolvedScenario): Promise<void> {
  await sink.line('# HELP http_request_duration_seconds Request latency.');
  await sink.line('# TYPE http_request_duration_seconds histogram');
  for (const profile of serviceProfiles.filter((p) => p.histogram)) {
    const labels = `service="${profile.service}"`;
    for (const tick of simulateService(scenario, profile)) {
      for (const [i, le] of bucketBounds.entries()) {
        await sink.sample(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${tick.buckets[i] ?? 0} ${tick.t}`);
      }
      await sink.sample(`http_request_duration_seconds_count{${labels}} ${tick.buckets[3]} ${tick.t}`);
      await sink.sample(`http_request_duration_seconds_sum{${labels}} ${tick.sum.toFixed(3)} ${tick.t}`);
    }
  }
}

/**
 * Writes the synthetic scenario as OpenMetrics text (with timestamps, ready for `promtool tsdb
 * create-blocks-from openmetrics`). A path is created and closed; a stream passed in is left open.
 */
export async function writeScenarioOpenMetrics(out: Writable | string, options: ScenarioOptions): Promise<ScenarioOutput> {
  const scenario = resolveScenario(options);
  const stream = typeof out === 'string' ? createWriteStream(out) : out;
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const incidents: Incident[] = scenario.plans.map((plan) => ({ ...plan, events: { total: 0, bad: 0 } }));
  const sink = new LineSink(stream);
  const work = (async () => {
    await writeRequestCounters(sink, scenario, incidents);
    await writeLatencyHistogram(sink, scenario);
    await sink.line('# EOF');
    await sink.flush();
    if (typeof out === 'string') {
      stream.end();
      await once(stream, 'finish');
    }
  })();
  await Promise.race([work, failed]);
  return { samples: sink.samples, incidents: incidents.sort((a, b) => a.start - b.start) };
}
