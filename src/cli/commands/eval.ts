import type { Command } from 'commander';
import { bucketSettings } from '../../wiring/bucket-settings.js';
import { alignDown, parseTime } from '../../core/time.js';
import { runCycle } from '../../engine/evaluation-cycle.js';
import { MemoryLedger } from '../../ledger/memory-ledger.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { evaluationJson, evaluationTable } from '../format/evaluation-view.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { openEngine } from '../open-engine.js';
import { checkFormat } from '../check-format.js';
import { readStoredAlertState } from '../stored-alerts.js';

interface EvalOptions extends CommonOptions {
  at?: string;
  format: 'table' | 'json';
}

export function registerEval(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  program
    .command('eval')
    .description('evaluate every SLO once: burn rates per window, page/ticket condition beside the alert a daemon holds, budget remaining, time to exhaustion')
    .option('--at <time>', 'evaluation time, RFC 3339 or unix seconds (default: now)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<EvalOptions>();
      const config = readConfig(options, io);
      const slos = readSlos(config, io);
      const time = options.at === undefined ? now() : parseTime(options.at);
      if (time === undefined) throw new CliError(`--at: expected RFC 3339 (2026-11-22T09:00:00Z) or unix seconds, got "${options.at}"`, exitCodes.usage);
      checkFormat(options.format);
      const engine = openEngine(config, 'existing');
      try {
        const settings = bucketSettings(config.evaluation);
        const at = alignDown(time, settings.bucket);
        const cycle = await runCycle({ slos, backend: engine.backend, ledger: new MemoryLedger(), settings: { ...settings, lateness: 0 }, concurrency: config.evaluation.concurrency }, at);
        const stored = readStoredAlertState(config.database);
        io.stdout.write(options.format === 'json' ? evaluationJson(cycle.evaluations, stored) : evaluationTable(cycle.evaluations, stored));
        setExit(cycle.evaluations.some((e) => e.status === 'backend_error') ? exitCodes.unavailable : exitCodes.ok);
      } finally {
        await engine.close();
      }
    });
}
