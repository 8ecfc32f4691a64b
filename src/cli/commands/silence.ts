import type { Command } from 'commander';
import { formatTime } from '../../core/time.js';
import { formatMatcher } from '../../routing/matcher.js';
import { SilenceError } from '../../silences/silence.js';
import type { SilenceStore } from '../../silences/silence-store.js';
import { silenceView } from '../../silences/silence-view.js';
import type { DatabaseAccess } from '../database-access.js';
import { withStores } from '../with-database.js';
import { readConfig, type CommonOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { checkFormat } from '../check-format.js';

interface AddOptions extends CommonOptions {
  matcher: string[];
  duration?: string;
  endsAt?: string;
  startsAt?: string;
  author?: string;
  comment?: string;
}

interface ListOptions extends CommonOptions {
  all?: boolean;
  format: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `burnrate silence add | ls | expire`: silences in the configured database, shared with the daemon. */
export function registerSilence(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  const silence = program.command('silence').description('mute alerts that match label matchers for a while (Alertmanager matcher syntax)');

  silence
    .command('add')
    .description('create a silence; prints its id')
    .requiredOption('-m, --matcher <matcher>', 'label matcher, e.g. slo="checkout-availability" (=, !=, =~, !~); repeat for more', collect, [])
    .option('-d, --duration <duration>', 'how long, from the start: e.g. 30m, 2h, 1d')
    .option('--ends-at <time>', 'end time: RFC 3339 or unix seconds (instead of --duration)')
    .option('--starts-at <time>', 'start time: RFC 3339 or unix seconds (default: now)')
    .requiredOption('-a, --author <name>', 'who creates the silence')
    .requiredOption('-c, --comment <text>', 'why')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<AddOptions>();
      if (options.duration === undefined && options.endsAt === undefined) throw new CliError('give --duration or --ends-at', exitCodes.usage);
      if (options.duration !== undefined && options.endsAt !== undefined) throw new CliError('give --duration or --ends-at, not both', exitCodes.usage);
      withStore(options, 'create', (store) => {
        const created = store.add(
          {
            matchers: options.matcher,
            ...(options.duration !== undefined && { duration: options.duration }),
            ...(options.endsAt !== undefined && { endsAt: options.endsAt }),
            ...(options.startsAt !== undefined && { startsAt: options.startsAt }),
            createdBy: options.author ?? '',
            comment: options.comment ?? '',
          },
          now(),
        );
        io.stdout.write(`${created.id}\n`);
      });
      setExit(exitCodes.ok);
    });

  silence
    .command('ls')
    .description('list active and pending silences')
    .option('--all', 'include expired silences')
    .option('--format <format>', 'table or json', 'table')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ListOptions>();
      checkFormat(options.format);
      const at = now();
      withStore(options, 'existing', (store) => {
        const silences = store.list({ ...(options.all !== true && { state: ['active', 'pending'] as const }), now: at });
        const views = silences.map((s) => silenceView(s, at));
        if (options.format === 'json') {
          io.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
          return;
        }
        const rows = silences.map((s, index) => [
          s.id,
          views[index]!.state,
          s.matchers.map(formatMatcher).join(' '),
          formatTime(s.startsAt),
          formatTime(s.endsAt),
          s.createdBy,
          s.comment,
        ]);
        io.stdout.write(renderTable(['ID', 'STATE', 'MATCHERS', 'STARTS', 'ENDS', 'CREATED BY', 'COMMENT'], rows));
        for (const view of views) if (view.problem !== undefined) io.stderr.write(`warning: silence ${view.id} ${view.problem}\n`);
      });
      setExit(exitCodes.ok);
    });

  silence
    .command('expire')
    .description('end a silence now')
    .argument('<id>', 'silence id (see silence ls)')
    .action((id: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<CommonOptions>();
      withStore(options, 'existing', (store) => {
        const expired = store.expire(id, now());
        io.stdout.write(`expired ${expired.id}\n`);
      });
      setExit(exitCodes.ok);
    });
}

function withStore(options: CommonOptions, access: DatabaseAccess, use: (store: SilenceStore) => void): void {
  withStores(readConfig(options), access, ({ silences }) => {
    try {
      use(silences);
    } catch (error) {
      if (error instanceof SilenceError) throw new CliError(error.message, exitCodes.invalid);
      throw error;
    }
  });
}
