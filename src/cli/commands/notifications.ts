import type { Command } from 'commander';
import { formatTime } from '../../core/time.js';
import type { OutboxState } from '../../notify/notify-store.js';
import { withStores } from '../with-database.js';
import { readConfig, type CommonOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { checkFormat } from '../check-format.js';

interface ListOptions extends CommonOptions {
  failed?: boolean;
  state?: OutboxState;
  format: 'table' | 'json';
}

const states = ['pending', 'sending', 'sent', 'failed'] as const;

export function registerNotifications(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const notifications = program.command('notifications').description('the delivery outbox: what was sent, what is waiting, what was given up');
  notifications
    .command('ls')
    .description('list notifications (newest last)')
    .option('--failed', 'only notifications given up after a permanent error or the give-up age')
    .option('--state <state>', 'pending, sending, sent or failed')
    .option('--format <format>', 'table or json', 'table')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ListOptions>();
      if (options.state !== undefined && !states.includes(options.state)) throw new CliError(`--state: expected one of ${states.join(', ')}, got "${options.state}"`, exitCodes.usage);
      checkFormat(options.format);
      const config = readConfig(options, io);
      withStores(config, 'existing', ({ notifications: store }) => {
        const rows = store.outbox(options.failed ? 'failed' : options.state);
        if (options.format === 'json') {
          io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (rows.length === 0) {
          io.stdout.write('no notifications\n');
        } else {
          io.stdout.write(
            renderTable(
              ['ID', 'PLANNED', 'INTEGRATION', 'GROUP', 'STATUS', 'REASON', 'STATE', 'ATTEMPTS', 'LAST ERROR'],
              rows.map((row) => [
                row.id,
                formatTime(row.createdAt),
                row.integration,
                row.notification.groupKey,
                row.notification.status,
                row.reason,
                row.state,
                String(row.attempts),
                row.lastError ?? '',
              ]),
            ),
          );
        }
      });
      setExit(exitCodes.ok);
    });
}
