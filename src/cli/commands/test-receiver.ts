import type { Command } from 'commander';
import { DeliveryError, type Channel, type DeliveryReceipt } from '../../notify/channel.js';
import { testNotification } from '../../notify/test-notification.js';
import { createRenderer } from '../../render/create-renderer.js';
import { buildChannels } from '../../wiring/channels.js';
import { readConfig, type CommonOptions } from '../context.js';
import { CliError, exitCodes, type CliIo } from '../io.js';

interface TestReceiverOptions extends CommonOptions {
  resolve: boolean;
}

const receiptText = (receipt: DeliveryReceipt): string => {
  const parts = Object.entries(receipt).map(([kind, value]) => `${kind} ${JSON.stringify(value)}`);
  return parts.length > 0 ? parts.join(', ') : 'accepted';
};

const failureText = (error: unknown): string =>
  error instanceof DeliveryError ? `${error.code}${error.retryable ? ' (retryable)' : ' (permanent)'}: ${error.message}` : error instanceof Error ? error.message : String(error);

/**
 * `burnrate test-receiver NAME`: a clearly marked test page through each integration of the receiver, with the
 * daemon's own channels and templates, then its resolve; each answer printed. Exit 0 when every send was taken,
 * 2 when one was not.
 */
export function registerTestReceiver(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  program
    .command('test-receiver <name>')
    .description('send a clearly marked test page (then its resolve) through each integration of a receiver, and print what each answered')
    .option('--no-resolve', 'send the test page only, not its resolve')
    .action(async (name: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<TestReceiverOptions>();
      const config = readConfig(options, io);
      const receiver = config.routing?.receivers.get(name);
      if (!receiver) {
        const known = [...(config.routing?.receivers.keys() ?? [])];
        throw new CliError(`no receiver "${name}" in ${config.file ?? 'burnrate.yaml'} (receivers: ${known.join(', ') || 'none'})`, exitCodes.usage);
      }
      const renderer = createRenderer(config.alerting.templates ? { templateDir: config.alerting.templates } : {});
      const all = buildChannels(config.routing, renderer, config.alerting.deliveryTimeout);
      const channels = [...all].filter(([id]) => id.startsWith(`${name}/`));
      let failed = 0;
      try {
        for (const [id, channel] of channels) failed += await sendTest(id, channel, name, options.resolve, now, io);
      } finally {
        for (const [, channel] of all) await channel.close().catch(() => undefined);
      }
      io.stdout.write(`${channels.length - failed} of ${channels.length} integrations of ${name} took the test page\n`);
      setExit(failed === 0 ? exitCodes.ok : exitCodes.unavailable);
    });
}

async function sendTest(id: string, channel: Channel, receiver: string, resolve: boolean, now: () => number, io: CliIo): Promise<number> {
  const firing = testNotification(receiver, 'firing', now());
  let receipt: DeliveryReceipt;
  try {
    receipt = await channel.deliver(firing, null);
  } catch (error) {
    io.stdout.write(`${id}: test page NOT delivered: ${failureText(error)}\n`);
    return 1;
  }
  io.stdout.write(`${id}: test page delivered: ${receiptText(receipt)}\n`);
  if (!resolve) return 0;
  const incident = firing.id.replace(/^test_|_firing$/g, '');
  try {
    const resolved = await channel.deliver(testNotification(receiver, 'resolved', now(), incident), channel.nextThread(null, receipt));
    io.stdout.write(`${id}: its resolve delivered: ${receiptText(resolved)}\n`);
    return 0;
  } catch (error) {
    io.stdout.write(`${id}: its resolve NOT delivered: ${failureText(error)}\n`);
    return 1;
  }
}
