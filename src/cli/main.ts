import { Command, CommanderError } from 'commander';
import { systemClock, type Clock } from '../core/clock.js';
import { registerBacktest } from './commands/backtest.js';
import { registerDeploy } from './commands/deploy.js';
import { registerEval } from './commands/eval.js';
import { registerIngest } from './commands/ingest.js';
import { registerNotifications } from './commands/notifications.js';
import { registerRun } from './commands/run.js';
import { registerReport } from './commands/report.js';
import { registerGate } from './commands/gate.js';
import { registerSilence } from './commands/silence.js';
import { registerValidate } from './commands/validate.js';
import { registerTestReceiver } from './commands/test-receiver.js';
import { realSleep, registerVerify, type Sleep } from './commands/verify.js';
import { CliError, exitCodes, type CliIo } from './io.js';
import { unexpectedErrorLine } from './unexpected-error.js';
import { exitCodeHelp } from './exit-code-help.js';
import { packageVersion } from './version.js';

/**
 * Runs the CLI with the given arguments and streams; returns the exit code. Never calls process.exit. Tests pass
 * a clock and a sleep that moves it (`verify --wait`).
 */
export async function run(argv: readonly string[], io: CliIo, clock: Clock = systemClock, sleep: Sleep = realSleep): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('burnrate')
    .description('SLO burn-rate alerting: multiwindow multi-burn-rate evaluation and error budgets')
    .option('--config <file>', 'settings file', undefined)
    .option('--slos <dir>', 'SLO files directory (overrides the config)')
    .option('--prometheus <url>', 'use the Prometheus HTTP API at this URL instead of the embedded store')
    .option('--db <file>', 'SQLite database (overrides the config)')
    // Inherited by every subcommand: their help lists --config, --slos, --prometheus and --db too.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  const now = () => clock.now();
  registerValidate(program, io, setExit);
  registerEval(program, io, setExit, now);
  registerBacktest(program, io, setExit, now);
  registerIngest(program, io, setExit, now);
  registerRun(program, io, setExit);
  registerDeploy(program, io, setExit, now);
  registerSilence(program, io, setExit, now);
  registerGate(program, io, setExit, now);
  registerVerify(program, io, setExit, now, sleep);
  registerTestReceiver(program, io, setExit, now);
  registerNotifications(program, io, setExit);
  registerReport(program, io, setExit, now);
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.addHelpText('after', exitCodeHelp(command)).exitOverride();

  // Only as the sole argument: commander reads program options anywhere, and `deploy record --version` is a deploy's.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${packageVersion()}\n`);
    return exitCodes.ok;
  }
  program.addHelpText('after', '\n  -V, --version  print the version (as the only argument)');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof CliError) {
      io.stderr.write(`burnrate: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`burnrate: ${unexpectedErrorLine(error)}\n`);
    if (io.env['BURNRATE_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodes.unavailable;
  }
}
