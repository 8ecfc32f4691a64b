import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { formatTime } from '../../core/time.js';
import { parseSince } from '../../deploys/deploy-time.js';
import { overrideView, unavailableGate } from '../../gate/decide.js';
import type { GateAnswer, GateRequest } from '../../gate/gate-answer.js';
import { gateLogView } from '../../gate/gate-log.js';
import { overrideActive, overrideTarget, parseOverrideInput } from '../../gate/gate-override.js';
import { gateConfigOf } from '../../gate/gate-policy.js';
import { answerGate, gateTargets, GateTargetError } from '../../gate/gate-service.js';
import { formatGateAnswer } from '../../gate/format-answer.js';
import type { Slo } from '../../slo/model.js';
import { openDatabase, type Db } from '../../store/database.js';
import { openStores, storeOptionsOf } from '../../wiring/open-stores.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { checkFormat } from '../check-format.js';
import { checkShard } from '../shard-check.js';
import { databaseMissing, missingDatabaseMessage } from '../database-access.js';
import { withStores } from '../with-database.js';

interface GateOptions extends CommonOptions {
  service?: string;
  slo?: string[];
  format?: string;
  failOpen?: boolean;
  as?: string;
}

interface LogOptions extends CommonOptions {
  service?: string;
  since?: string;
  limit?: string;
  format?: string;
}

interface OverrideOptions extends CommonOptions {
  service?: string;
  slo?: string;
  reason?: string;
  author?: string;
  for?: string;
}

/** Exit codes of `burnrate gate`: the verdict is the exit code. */
export const gateExitCodes = { allow: 0, deny: 1, unknown: 2 } as const;

/**
 * A subcommand's options with those of the commands above it. `gate` and `gate log` both have --service and
 * --format, and commander hands such a flag to `gate` even when it follows `log`: a value given on the command
 * line wins, wherever commander put it, over a subcommand's default.
 */
function own<T extends object>(command: Command): T {
  const merged: Record<string, unknown> = { ...command.optsWithGlobals() };
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) !== 'default' || merged[key] === undefined) merged[key] = value;
  }
  return merged as T;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Who asked, for the gate log: `--as`, else the CI system's user when there is one, else the OS user (from the
 * environment, or the account itself where USER is unset, as in many containers).
 */
export function cliRequester(env: CliIo['env'], as?: string, osUser: () => string | undefined = accountName): string {
  const named = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const user =
    named(as) ??
    named(env['BURNRATE_GATE_REQUESTER']) ??
    named(env['GITHUB_ACTOR']) ??
    named(env['GITLAB_USER_LOGIN']) ??
    named(env['USER']) ??
    named(env['LOGNAME']) ??
    named(osUser());
  return `cli:${user ?? 'unknown'}`;
}

function accountName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined; // a uid without a passwd entry
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function targetsOrUsage(slos: readonly Slo[], request: GateRequest): Slo[] {
  try {
    return gateTargets(slos, request);
  } catch (error) {
    if (error instanceof GateTargetError) throw new CliError(error.message, exitCodes.usage);
    throw error;
  }
}

/** The verdict from the database the daemon writes; `unknown` for every SLO when that database cannot be read. */
function askGate(config: Config, slos: readonly Slo[], request: GateRequest, requester: string, now: number): GateAnswer {
  const gate = gateConfigOf(config);
  const targets = targetsOrUsage(slos, request);
  checkShard(config, targets.map((slo) => slo.service));
  if (databaseMissing(config.database)) return unavailableGate(request, targets, missingDatabaseMessage(config.database), gate, now);
  let db: Db | undefined;
  try {
    db = openDatabase(config.database);
    const stores = openStores(db, storeOptionsOf(config));
    const sources = {
      slos,
      evaluations: stores.evaluations,
      alerts: stores.alerts,
      overrides: stores.overrides,
      log: stores.gateLog,
      config: gate,
      deployCosts: { deploys: stores.deploys, ledger: stores.ledger, bucket: config.evaluation.bucket },
    };
    return answerGate(sources, request, requester, now);
  } catch (error) {
    if (error instanceof GateTargetError) throw new CliError(error.message, exitCodes.usage);
    return unavailableGate(request, targets, `cannot read ${config.database}: ${message(error)}`, gate, now);
  } finally {
    db?.close();
  }
}

export function registerGate(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  const gate = program
    .command('gate')
    .description('may this service deploy now? exit 0 allow, 1 deny, 2 cannot decide (from the stored evaluations)')
    .option('--service <name>', 'every SLO of this service')
    .option('--slo <name>', 'an SLO by name; repeat for more', collect)
    .option('--format <format>', 'human or json (default: human)')
    .option('--fail-open', 'exit 0 instead of 2 when the gate cannot decide')
    .option('--as <name>', 'who asks, for the gate log (default: the CI user, else the OS user)')
    .action((_options: unknown, command: Command) => {
      const options = own<GateOptions>(command);
      const format = options.format ?? 'human';
      checkFormat(format, ['human', 'json']);
      if ((options.service === undefined) === (options.slo === undefined)) {
        throw new CliError('name either --service or --slo (repeatable)', exitCodes.usage);
      }
      const request: GateRequest = options.service !== undefined ? { service: options.service } : { slos: options.slo ?? [] };
      const config = readConfig(options, io);
      const slos = readSlos(config, io);
      const answer = askGate(config, slos, request, cliRequester(io.env, options.as), now());
      io.stdout.write(format === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : formatGateAnswer(answer));
      let code: number = gateExitCodes[answer.verdict];
      if (answer.verdict === 'unknown' && options.failOpen === true) {
        io.stderr.write('burnrate: the gate cannot decide; --fail-open allows the deploy\n');
        code = exitCodes.ok;
      }
      setExit(code);
    });

  gate
    .command('log')
    .description('list recorded gate decisions, newest first')
    .option('--service <name>', 'decisions that judged an SLO of this service')
    .option('--since <duration|time>', 'a duration back from now (24h, 7d) or a time (RFC 3339, unix seconds)')
    .option('--limit <n>', 'at most this many (1 to 1000)', '100')
    .option('--format <format>', 'table or json', 'table')
    .action((_options: unknown, command: Command) => {
      const options = own<LogOptions>(command);
      checkFormat(options.format);
      const since = options.since === undefined ? undefined : parseSince(options.since, now());
      if (options.since !== undefined && since === undefined) {
        throw new CliError(`--since: expected a duration back from now (e.g. 7d) or a time, got "${options.since}"`, exitCodes.usage);
      }
      const limit = /^\d+$/.test(options.limit ?? '') ? Number(options.limit) : NaN;
      if (!(limit >= 1 && limit <= 1000)) throw new CliError(`--limit: expected a whole number from 1 to 1000, got "${String(options.limit)}"`, exitCodes.usage);
      const config = readConfig(options, io);
      const entries = withStores(config, 'existing', ({ gateLog }) =>
        gateLog.list({ ...(options.service !== undefined && { service: options.service }), ...(since !== undefined && { since }), limit }),
      );
      if (options.format === 'json') io.stdout.write(`${JSON.stringify({ decisions: entries.map(gateLogView) }, null, 2)}\n`);
      else if (entries.length === 0) io.stdout.write('no gate decisions\n');
      else {
        io.stdout.write(
          renderTable(
            ['AT', 'REQUESTER', 'ASKED', 'VERDICT', 'OVERRIDE', 'REASONS'],
            entries.map((e) => [formatTime(e.at), e.requester, e.asked, e.verdict, e.overrideId ?? '-', e.answer.reasons.join('; ') || '-']),
          ),
        );
      }
      setExit(exitCodes.ok);
    });

  const override = gate
    .command('override')
    .description('allow deploys despite the gate for a while (hotfixes, rollbacks); recorded with reason and author')
    .option('--service <name>', 'every SLO of this service')
    .option('--slo <name>', 'one SLO')
    .option('--reason <text>', 'why (required)')
    .option('--author <name>', 'who (required)')
    .option('--for <duration>', 'how long, 1m to 7d', '1h')
    .action((_options: unknown, command: Command) => {
      const options = own<OverrideOptions>(command);
      const raw: Record<string, string> = {};
      for (const key of ['service', 'slo', 'reason', 'author', 'for'] as const) if (options[key] !== undefined) raw[key] = options[key];
      const parsed = parseOverrideInput(raw);
      if (!parsed.ok) {
        throw new CliError(parsed.issues.map((i) => (i.path === '' ? `--service or --slo: ${i.message}` : `--${i.path}: ${i.message}`)).join('\n'), exitCodes.usage);
      }
      const { draft } = parsed;
      const config = readConfig(options, io);
      targetsOrUsage(readSlos(config, io), draft.service !== null ? { service: draft.service } : { slos: [draft.slo!] });
      const created = withStores(config, 'create', ({ overrides }) => overrides.add(draft, now(), cliRequester(io.env)));
      io.stdout.write(`override ${created.id}: ${overrideTarget(created)} may deploy despite the gate until ${formatTime(created.expiresAt)} (${created.author}: ${created.reason})\n`);
      setExit(exitCodes.ok);
    });

  override
    .command('ls')
    .description('list active overrides (all with --all), newest first')
    .option('--all', 'expired ones too')
    .option('--format <format>', 'table or json', 'table')
    .action((_options: unknown, command: Command) => {
      const options = own<CommonOptions & { all?: boolean; format?: string }>(command);
      checkFormat(options.format);
      const at = now();
      const list = withStores(readConfig(options, io), 'existing', ({ overrides }) => (options.all === true ? overrides.all() : overrides.active(at)));
      if (options.format === 'json') io.stdout.write(`${JSON.stringify({ overrides: list.map(overrideView) }, null, 2)}\n`);
      else if (list.length === 0) io.stdout.write('no overrides\n');
      else {
        io.stdout.write(
          renderTable(
            ['ID', 'STATE', 'FOR', 'CREATED', 'EXPIRES', 'AUTHOR', 'ACTOR', 'REASON'],
            list.map((o) => [o.id, overrideActive(o, at) ? 'active' : 'expired', overrideTarget(o), formatTime(o.createdAt), formatTime(o.expiresAt), o.author, o.actor ?? '-', o.reason]),
          ),
        );
      }
      setExit(exitCodes.ok);
    });

  override
    .command('expire')
    .description('end an override now')
    .argument('<id>', 'the override id')
    .action((id: string, _options: unknown, command: Command) => {
      const options = own<CommonOptions>(command);
      const result = withStores(readConfig(options, io), 'existing', ({ overrides }) => overrides.expire(id, now()));
      if (result === undefined) throw new CliError(`no override ${id}`, exitCodes.invalid);
      if (result === false) throw new CliError(`override ${id} has already expired`, exitCodes.invalid);
      io.stdout.write(`expired ${id}\n`);
      setExit(exitCodes.ok);
    });
}
