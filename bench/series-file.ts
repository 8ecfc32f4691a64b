import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { diurnalFactor } from '../src/demo/services.js';
import { deriveSeed, poisson, seededRandom } from '../src/demo/random.js';
import type { Slo } from '../src/slo/model.js';
import { benchCodes, benchMetric, pairCount, routeName, serviceName, type SeriesSpace } from './bench-slos.js';
import { slothLabels } from './sloth-rules.js';

export interface SeriesFileOptions {
  space: SeriesSpace;
  /** Unix seconds: no sample is later. */
  end: number;
  days: number;
  scrapeInterval: number;
  seed: number;
  /**
   * Also write each SLO's `slo:sli_error:ratio_rate5m` as the Sloth rules would have recorded it every minute,
   * so that their 30d rule reads history as it would in a Prometheus that had been running.
   */
  ratioHistoryOf?: readonly Slo[];
}

export interface SeriesFileSummary {
  series: number;
  samples: number;
}

const errorShare = { '200': 0, '429': 0.001, '500': 0.002 } as const;
const ratioStep = 60;

/** Writes the bench history as OpenMetrics with timestamps, for `promtool tsdb create-blocks-from openmetrics`. */
export async function writeSeriesFile(path: string, options: SeriesFileOptions): Promise<SeriesFileSummary> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  let size = 0;
  let samples = 0;
  let series = 0;
  const line = async (text: string): Promise<void> => {
    buffer.push(text);
    size += text.length + 1;
    if (size < 1 << 20) return;
    const chunk = buffer.join('\n') + '\n';
    buffer = [];
    size = 0;
    if (!out.write(chunk)) await once(out, 'drain');
  };

  const { space, end, scrapeInterval: step } = options;
  const start = end - options.days * 86_400;
  await line(`# TYPE ${benchMetric.replace(/_total$/, '')} counter`);
  for (let pair = 0; pair < pairCount(space); pair += 1) {
    const random = seededRandom(deriveSeed(options.seed, pair));
    const rate = 2 + (pair % 9);
    const offset = (pair * 7) % step;
    const times: number[] = [];
    const counters = benchCodes.map(() => [] as number[]);
    const cumulative = benchCodes.map(() => 0);
    for (let t = Math.ceil((start - offset) / step) * step + offset; t <= end; t += step) {
      const requests = poisson(random, rate * diurnalFactor(t) * step);
      let left = requests;
      benchCodes.forEach((code, i) => {
        if (code === '200') return;
        const drawn = Math.min(left, poisson(random, requests * errorShare[code]));
        left -= drawn;
        cumulative[i]! += drawn;
      });
      cumulative[0]! += left;
      times.push(t);
      cumulative.forEach((value, i) => counters[i]!.push(value));
    }
    const labels = `service="${serviceName(pair % space.services)}",route="${routeName(Math.floor(pair / space.services))}"`;
    for (const [i, code] of benchCodes.entries()) {
      series += 1;
      const values = counters[i]!;
      for (let k = 0; k < times.length; k += 1) await line(`${benchMetric}{${labels},code="${code}"} ${values[k]} ${times[k]}`);
      samples += times.length;
    }
  }

  if (options.ratioHistoryOf?.length) {
    await line('# TYPE slo:sli_error:ratio_rate5m gauge');
    const first = Math.ceil(start / ratioStep) * ratioStep;
    for (const [index, slo] of options.ratioHistoryOf.entries()) {
      series += 1;
      const random = seededRandom(deriveSeed(options.seed + 1, index));
      const labels = Object.entries({ ...slothLabels(slo), sloth_window: '5m' })
        .map(([name, value]) => `${name}="${value}"`)
        .join(',');
      for (let t = first; t < end; t += ratioStep) {
        await line(`slo:sli_error:ratio_rate5m{${labels}} ${(0.002 * (0.5 + random.next())).toFixed(6)} ${t}`);
        samples += 1;
      }
    }
  }

  await line('# EOF');
  out.end(buffer.join('\n') + '\n');
  await once(out, 'finish');
  return { series, samples };
}
