import type { Command } from 'commander';
import { humanizeSeconds } from '../../core/duration.js';
import { formatTime } from '../../core/time.js';
import type { DeployEvent } from '../../deploys/deploy.js';
import { parseDeployInput } from '../../deploys/deploy-input.js';
import { parseDeployQuery } from '../../deploys/deploy-query.js';
import type { DeployStore, RecordMatch } from '../../deploys/deploy-store.js';
import type { Config } from '../../config/config.js';
import type { DatabaseAccess } from '../database-access.js';
import { withStores } from '../with-database.js';
import { readConfig, type CommonOptions } from '../context.js';
import { checkShard } from '../shard-check.js';
import { renderTable } from '../format/table.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { checkFormat } from '../check-format.js';

interface RecordOptions extends CommonOptions {
  service?: string;
  environment?: string;
  version?: string;
  commit?: string;
  repositoryUrl?: string;
  author?: string;
  startedAt?: string;
  finishedAt?: string;
  url?: string;
  rollbackUrl?: string;
  summary?: string;
  tag?: string[];
}

interface ListOptions extends CommonOptions {
  service?: string;
  since?: string;
  limit?: string;
  format?: string;
}

const inputFields = ['service', 'environment', 'version', 'commit', 'repositoryUrl', 'author', 'startedAt', 'finishedAt', 'url', 'rollbackUrl', 'summary'] as const;

/** The flag a field of the deploy input comes from: `repositoryUrl` → `--repository-url`, `tags[2]` → `--tag`. */
function flagOf(path: string): string {
  if (path === '') return 'deploy';
  if (path.startsWith('tags')) return '--tag';
  return `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function withStore<T>(options: CommonOptions, access: DatabaseAccess, use: (store: DeployStore, config: Config) => T): T {
  const config = readConfig(options);
  return withStores(config, access, ({ deploys }) => use(deploys, config));
}

const describe = (d: DeployEvent): string =>
  [d.service, d.version, d.commit && `(${d.commit.slice(0, 12)})`, d.environment && `to ${d.environment}`, `at ${formatTime(d.finishedAt)}`]
    .filter((part) => part !== null && part !== '')
    .join(' ');

/** What `deploy record` did: a new deploy, or the stored one this call matched (whose fields then stay as they were). */
function recordedLine(match: RecordMatch, event: DeployEvent, now: number, dedupWindow: number): string {
  if (match === 'new') return `recorded ${event.id}: ${describe(event)}`;
  const why =
    match === 'recent'
      ? `the same service, environment, version and commit finished ${humanizeSeconds(now - event.finishedAt)} before, within deploys.dedupWindow ${humanizeSeconds(dedupWindow)}`
      : 'the same deploy with the same finish time';
  return `already recorded ${event.id}: ${describe(event)} (${why}; nothing new stored)`;
}

const dash = (value: string | null): string => (value === null || value === '' ? '-' : value);

export function registerDeploy(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  const deploy = program.command('deploy').description('record and list deploy events (what preceded a burn)');

  deploy
    .command('record')
    .description('record a deploy into the database (idempotent: the same deploy recorded twice is stored once)')
    .option('--service <name>', 'service deployed, as SLOs name it (required)')
    .option('--environment <name>', 'environment, e.g. production')
    .option('--version <version>', 'version or release name')
    .option('--commit <hash>', 'commit hash, 7 to 40 hex digits')
    .option('--repository-url <url>', 'http(s) URL of the repository')
    .option('--author <name>', 'who deployed')
    .option('--started-at <time>', 'RFC 3339 or unix seconds')
    .option('--finished-at <time>', 'RFC 3339 or unix seconds (default: now)')
    .option('--url <url>', 'http(s) URL of the pipeline run or release')
    .option('--rollback-url <url>', 'http(s) URL that rolls this deploy back, shown in its DeployRegression page')
    .option('--summary <text>', 'what changed, at most 2000 characters')
    .option('--tag <key:value>', 'a tag; repeat for more', (value: string, previous: string[] = []) => [...previous, value])
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<RecordOptions>();
      const raw: Record<string, unknown> = {};
      for (const field of inputFields) if (options[field] !== undefined) raw[field] = options[field];
      if (options.tag !== undefined) raw['tags'] = options.tag;
      const at = now();
      const parsed = parseDeployInput(raw, at);
      if (!parsed.ok) {
        throw new CliError(parsed.issues.map((issue) => `${flagOf(issue.path)}: ${issue.message}`).join('\n'), exitCodes.invalid);
      }
      const { event, match, dedupWindow } = withStore(options, 'create', (store, config) => {
        // On a shard, a deploy belongs in the database of the shard that evaluates its service.
        checkShard(config, [parsed.input.service]);
        return { ...store.save(parsed.input, at, 'cli', { finishTimeDefaulted: parsed.finishTimeDefaulted }), dedupWindow: config.deploys.dedupWindow };
      });
      io.stdout.write(`${recordedLine(match, event, at, dedupWindow)}\n`);
      setExit(exitCodes.ok);
    });

  deploy
    .command('ls')
    .description('list deploys, newest first')
    .option('--service <name>', 'only this service')
    .option('--since <duration|time>', 'a duration back from now (24h, 7d) or a time (RFC 3339, unix seconds)')
    .option('--limit <n>', 'at most this many (1 to 1000)', '100')
    .option('--format <format>', 'table or json', 'table')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ListOptions>();
      checkFormat(options.format);
      const query: Record<string, string> = {};
      if (options.service !== undefined) query['service'] = options.service;
      if (options.since !== undefined) query['from'] = options.since;
      if (options.limit !== undefined) query['limit'] = options.limit;
      const parsed = parseDeployQuery(query, now());
      if (!parsed.ok) {
        const flag = (path: string) => (path === 'from' ? '--since' : `--${path}`);
        throw new CliError(parsed.issues.map((issue) => `${flag(issue.path)}: ${issue.message}`).join('\n'), exitCodes.usage);
      }
      const deploys = withStore(options, 'existing', (store) => store.list(parsed.filter));
      if (options.format === 'json') {
        io.stdout.write(`${JSON.stringify({ deploys }, null, 2)}\n`);
      } else if (deploys.length === 0) {
        io.stdout.write('no deploys\n');
      } else {
        io.stdout.write(
          renderTable(
            ['FINISHED', 'SERVICE', 'ENVIRONMENT', 'VERSION', 'COMMIT', 'AUTHOR', 'SOURCE', 'ID'],
            deploys.map((d) => [formatTime(d.finishedAt), d.service, dash(d.environment), dash(d.version), dash(d.commit?.slice(0, 12) ?? null), dash(d.author), d.source, d.id]),
          ),
        );
      }
      setExit(exitCodes.ok);
    });
}
