import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { bucketSettings } from '../../wiring/bucket-settings.js';
import { humanizeSeconds, parseDuration } from '../../core/duration.js';
import { formatTime } from '../../core/time.js';
import { cliTimeHelp, parseCliTime } from '../cli-time.js';
import { backtest, type BacktestResult } from '../../engine/backtest.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { openEngine } from '../open-engine.js';
import { checkFormat } from '../check-format.js';

interface BacktestOptions extends CommonOptions {
  from: string;
  to: string;
  step: string;
  format: 'table' | 'json';
}

const longRange = 86_400;
/** A backtest's requests span weeks: give each as long as Prometheus gives a query by default (2 minutes). */
const backtestRequestTimeout = 120;

export function registerBacktest(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  program
    .command('backtest')
    .description('replay the alert conditions over history: when each page/ticket condition fired and resolved')
    .requiredOption('--from <time>', `start: ${cliTimeHelp}`)
    .requiredOption('--to <time>', `end: ${cliTimeHelp}`)
    .option('--step <duration>', 'evaluation step, a multiple of the bucket size', '1m')
    .option('--format <format>', 'table, or json (one line per transition)', 'table')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<BacktestOptions>();
      const at = now();
      const from = parseCliTime(options.from, at);
      const to = parseCliTime(options.to, at);
      const step = parseDuration(options.step);
      if (from === undefined) throw new CliError(`--from: expected ${cliTimeHelp}, got "${options.from}"`, exitCodes.usage);
      if (to === undefined) throw new CliError(`--to: expected ${cliTimeHelp}, got "${options.to}"`, exitCodes.usage);
      if (step === undefined) throw new CliError(`--step: expected a duration such as 1m, got "${options.step}"`, exitCodes.usage);
      checkFormat(options.format);
      const config = readConfig(options, io);
      const slos = readSlos(config, io);
      const engine = openEngine(config, 'existing', { minTimeoutSeconds: backtestRequestTimeout });
      const showProgress = to - from >= longRange && (io.stderr as { isTTY?: boolean }).isTTY === true;
      const bar = showProgress ? new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WritableStream, format: 'backtest [{bar}] {value}/{total} SLOs' }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(slos.length, 0);
      try {
        const result = await backtest({
          slos,
          backend: engine.backend,
          settings: bucketSettings(config.evaluation),
          from,
          to,
          step,
          concurrency: config.evaluation.concurrency,
          onProgress: (done) => bar?.update(done),
        }).catch((error: unknown) => {
          throw new CliError(error instanceof Error ? error.message : String(error), exitCodes.usage);
        });
        bar?.stop();
        io.stdout.write(options.format === 'json' ? transitionLines(result) : backtestTable(result, to));
        for (const failure of result.failures) io.stderr.write(`${failure.slo}: could not read history: ${failure.error}\n`);
        setExit(result.failures.length > 0 ? exitCodes.unavailable : exitCodes.ok);
      } finally {
        bar?.stop();
        await engine.close();
      }
    });
}

function transitionLines(result: BacktestResult): string {
  return result.transitions
    .map((t) => `${JSON.stringify({ slo: t.slo, severity: t.severity, state: t.state, at: formatTime(t.at) })}\n`)
    .join('');
}

function backtestTable(result: BacktestResult, to: number): string {
  const open = new Map<string, number>();
  const rows: string[][] = [];
  for (const t of result.transitions) {
    const key = `${t.slo}/${t.severity}`;
    if (t.state === 'firing') {
      open.set(key, t.at);
      continue;
    }
    const since = open.get(key);
    open.delete(key);
    rows.push([t.slo, t.severity, since === undefined ? '-' : formatTime(since), formatTime(t.at), since === undefined ? '-' : humanizeSeconds(t.at - since)]);
  }
  for (const [key, since] of open) {
    const [slo = '', severity = ''] = key.split('/');
    rows.push([slo, severity, formatTime(since), 'still firing', humanizeSeconds(to - since)]);
  }
  rows.sort((a, b) => (a[2] ?? '').localeCompare(b[2] ?? ''));
  if (rows.length === 0) return `no alert condition fired in ${result.steps} steps\n`;
  return renderTable(['SLO', 'SEVERITY', 'FIRED', 'RESOLVED', 'DURATION'], rows);
}
