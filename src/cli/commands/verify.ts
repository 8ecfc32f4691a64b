import type { Command } from 'commander';
import { formatDuration, humanizeSeconds, parseDuration } from '../../core/duration.js';
import { maxVerificationPeriod } from '../../verify/verification-settings.js';
import { parseSince } from '../../deploys/deploy-time.js';
import type { Config } from '../../config/config.js';
import { verificationView, formatVerification } from '../../verify/verification-view.js';
import { baselines, type Baseline, type VerificationAnswer } from '../../verify/verify-service.js';
import { targetOf, verifyAt, type VerifierParts, type VerifyAsk } from '../../verify/verifier.js';
import { VerifyTargetError, type DeployLookup } from '../../verify/verify-target.js';
import { openStores, storeOptionsOf } from '../../wiring/open-stores.js';
import { bucketSettings } from '../../wiring/bucket-settings.js';
import { checkFormat } from '../check-format.js';
import { checkShard } from '../shard-check.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { databaseMissing, missingDatabaseMessage, openCliDatabase } from '../database-access.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { openEngine } from '../open-engine.js';

interface VerifyOptions extends CommonOptions {
  service?: string;
  deploy?: string;
  since?: string;
  for?: string;
  baseline?: string;
  canary?: boolean;
  wait?: boolean;
  format: string;
}

/** Exit codes of `burnrate verify`: the verdict is the exit code, as for the gate. */
export const verifyExitCodes = { pass: 0, fail: 1, inconclusive: 2 } as const;

export type Sleep = (seconds: number) => Promise<void>;

export const realSleep: Sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** The deploy records, where the command needs them (no time given); a missing database says so. */
function withDeploys<T>(config: Config, needed: boolean, use: (deploys: DeployLookup | undefined) => T): T {
  if (!needed) return use(undefined);
  if (databaseMissing(config.database)) throw new CliError(`cannot look up deploys: ${missingDatabaseMessage(config.database)}; or compare from a time with --since`, exitCodes.unavailable);
  const db = openCliDatabase(config.database, 'existing');
  try {
    return use(openStores(db, storeOptionsOf(config)).deploys);
  } finally {
    db.close();
  }
}

function askOf(options: VerifyOptions, now: number): VerifyAsk {
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  if (options.since !== undefined && since === undefined) {
    throw new CliError(`--since: expected a duration back from now (15m) or a time (RFC 3339 or unix seconds), got "${options.since}"`, exitCodes.usage);
  }
  if (options.deploy !== undefined && since !== undefined) throw new CliError('--deploy and --since: give one, not both', exitCodes.usage);
  const period = options.for === undefined ? undefined : parseDuration(options.for);
  if (options.for !== undefined && (period === undefined || period < 60 || period > maxVerificationPeriod)) {
    throw new CliError(`--for: expected a duration from 1m to ${formatDuration(maxVerificationPeriod)} (e.g. 10m, 2h), got "${options.for}"`, exitCodes.usage);
  }
  if (options.baseline !== undefined && !(baselines as readonly string[]).includes(options.baseline)) {
    throw new CliError(`--baseline: expected before, week or stable, got "${options.baseline}"`, exitCodes.usage);
  }
  if (options.canary && options.baseline !== undefined && options.baseline !== 'stable') {
    throw new CliError(`--canary compares with stable: give it without --baseline ${options.baseline}`, exitCodes.usage);
  }
  const baseline = options.canary ? 'stable' : (options.baseline as Baseline | undefined);
  return {
    service: options.service!,
    ...(options.deploy !== undefined && { deploy: options.deploy }),
    ...(since !== undefined && { since }),
    ...(period !== undefined && { period }),
    ...(baseline !== undefined && { baseline }),
  };
}

function unverifiedOnInvalidInput<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CliError && error.exitCode === exitCodes.invalid) throw new CliError(`cannot verify: ${error.message}`, exitCodes.unavailable);
    throw error;
  }
}

/** One line per check while --wait waits: how far it got, and the verdict so far. */
function progressLine(answer: VerificationAnswer): string {
  return `verify: ${humanizeSeconds(answer.watched)} of ${humanizeSeconds(answer.period)} compared: ${answer.verdict}${answer.verdict === 'pass' ? ' so far' : ''}`;
}

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number, sleep: Sleep = realSleep): void {
  program
    .command('verify')
    .description("compare a service's SLOs since a deploy with before it, or its canary with stable: pass, fail (a significant, material regression) or inconclusive (not enough traffic yet)")
    .requiredOption('--service <name>', 'the service whose SLOs are compared')
    .option('--deploy <id>', 'the recorded deploy to compare from (default: the latest deploy of the service)')
    .option('--since <time>', 'compare from this time instead: RFC 3339, unix seconds, or a duration back from now (15m)')
    .option('--for <duration>', 'the period after the deploy that is compared (default: verification.for, 30m)')
    .option('--baseline <which>', 'before: as long right before the deploy; week: the same period a week earlier; stable: see --canary')
    .option('--canary', "compare each SLO's canary with its stable track over the same period (spec.tracks); --baseline stable")
    .option('--wait', 'check once a bucket until a fail or the end of the period')
    .option('--format <format>', 'table or json', 'table')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<VerifyOptions>();
      checkFormat(options.format);
      const ask = askOf(options, now());
      // Files that cannot be read leave the deploy unverified (2), never a fail (1) that would roll it back.
      const { config, slos } = unverifiedOnInvalidInput(() => {
        const config = readConfig(options, io);
        return { config, slos: readSlos(config, io) };
      });
      const engine = openEngine(config, 'existing');
      try {
        const parts: VerifierParts = {
          slos,
          deploys: undefined,
          backend: engine.backend,
          settings: config.verification,
          bucket: bucketSettings(config.evaluation).bucket,
          queryDelay: config.evaluation.queryDelay,
        };
        // The deploys are this shard's database's: another shard's service is verified there.
        if (ask.since === undefined) checkShard(config, [ask.service]);
        const target = withDeploys(config, ask.since === undefined, (deploys) => {
          try {
            return targetOf({ ...parts, deploys }, ask, now());
          } catch (error) {
            // No SLO with tracks is the SLO files' state, not a misuse: the canary stays unverified (2).
            if (error instanceof VerifyTargetError) throw new CliError(error.message, error.code === 'no_tracks' ? exitCodes.unavailable : exitCodes.usage);
            throw error;
          }
        });
        const check = () => verifyAt(parts, ask, target, now());
        let answer: VerificationAnswer = await check();
        while (options.wait && answer.verdict !== 'fail' && !answer.complete) {
          io.stderr.write(`${progressLine(answer)}\n`);
          // The next bucket is complete once it has ended and the query delay has passed; never a long blind sleep.
          const next = answer.at + parts.bucket + parts.queryDelay;
          await sleep(Math.min(60, Math.max(1, next - now())));
          answer = await check();
        }
        io.stdout.write(options.format === 'json' ? `${JSON.stringify(verificationView(answer), null, 2)}\n` : formatVerification(answer, now()));
        setExit(verifyExitCodes[answer.verdict]);
      } finally {
        await engine.close();
      }
    });
}
