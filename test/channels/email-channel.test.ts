import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannelOptions } from '../../src/channels/email-channel.js';
import { DeliveryError, type Channel } from '../../src/notify/channel.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { notification, renderEmail } from './notification-fixture.js';

let sink: SmtpSink;
const opened: Channel[] = [];

function open(overrides: Omit<Partial<EmailChannelOptions>, 'smtp'> & { smtp?: Partial<EmailChannelOptions['smtp']> } = {}): Channel {
  const { smtp, ...rest } = overrides;
  const channel = createEmailChannel({
    from: 'burnrate <alerts@example.org>',
    to: ['oncall@example.org', 'sre@example.org'],
    render: renderEmail,
    timeoutMs: 2000,
    ...rest,
    smtp: { host: sink.host, port: sink.port, secure: false, ...smtp },
  });
  opened.push(channel);
  return channel;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await sink.close();
});

describe('email channel delivery', () => {
  it('sends a multipart message with text and HTML alternatives to every recipient', async () => {
    const receipt = await open().deliver(notification('n-1'), null);
    const [mail] = await sink.waitFor(1);

    expect(receipt).toEqual({ email: { messageId: '<n-1@example.org>' } });
    expect(mail!.from).toBe('alerts@example.org');
    expect(mail!.to).toEqual(['oncall@example.org', 'sre@example.org']);
    expect(mail!.subject).toBe('[FIRING] checkout-availability');
    expect(mail!.text?.trim()).toBe('firing n-1');
    expect(mail!.html?.trim()).toBe('<p><b>firing</b> n-1</p>');
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(mail!.inReplyTo).toBeUndefined();
  });

  it('gives every send of one notification the same Message-ID, and different notifications different ones', async () => {
    const channel = open();
    const first = await channel.deliver(notification('n-1'), null);
    const again = await channel.deliver(notification('n-1'), null);
    await channel.deliver(notification('n-2'), null);
    const mails = await sink.waitFor(3);

    expect(again).toEqual(first);
    expect(mails.map((m) => m.messageId)).toEqual(['<n-1@example.org>', '<n-1@example.org>', '<n-2@example.org>']);
  });

  it('uses the configured Message-ID domain', async () => {
    const receipt = await open({ messageIdDomain: 'burnrate.example.net' }).deliver(notification('42'), null);
    const [mail] = await sink.waitFor(1);

    expect(receipt.email?.messageId).toBe('<42@burnrate.example.net>');
    expect(mail!.messageId).toBe('<42@burnrate.example.net>');
  });

  it('threads a follow-up onto the incident: In-Reply-To the root, References ending with it', async () => {
    const channel = open();
    const root = await channel.deliver(notification('n-1'), null);
    const receipt = await channel.deliver(notification('n-3', { status: 'resolved' }), {
      email: { rootMessageId: root.email!.messageId, references: ['<n-2@example.org>'] },
    });
    const [, reply] = await sink.waitFor(2);

    expect(receipt).toEqual({ email: { messageId: '<n-3@example.org>' } });
    expect(reply!.messageId).toBe('<n-3@example.org>');
    expect(reply!.inReplyTo).toBe('<n-1@example.org>');
    expect(reply!.references).toBe('<n-2@example.org> <n-1@example.org>');
    expect(reply!.subject).toBe('Re: [RESOLVED] checkout-availability');
  });

  it('reports SMTP 451 as retryable and 550 as permanent, and a later attempt goes through', async () => {
    const channel = open();
    sink.rejectNext(451, 550);

    expect(await failure(channel.deliver(notification('n-1'), null))).toMatchObject({ code: 'server_error', retryable: true, message: expect.stringMatching(/451/) });
    expect(await failure(channel.deliver(notification('n-1'), null))).toMatchObject({ code: 'rejected', retryable: false, message: expect.stringMatching(/550/) });
    expect(sink.messages).toEqual([]);
    await channel.deliver(notification('n-1'), null);
    expect((await sink.waitFor(1))[0]!.messageId).toBe('<n-1@example.org>');
  });

  it('reports a server that is down as a network error within the timeout, and delivers once it is back', async () => {
    await sink.stop();
    const channel = open({ timeoutMs: 1000 });
    const started = performance.now();
    const error = await failure(channel.deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(1000);

    await sink.start();
    await channel.deliver(notification('n-1'), null);
    expect(await sink.waitFor(1)).toHaveLength(1);
  });

  it('reports a server that never greets as a timeout after about timeoutMs, not minutes', async () => {
    const silent = await startSilentServer();
    try {
      const channel = open({ timeoutMs: 400, smtp: { port: silent.port } });
      const started = performance.now();
      const error = await failure(channel.deliver(notification('n-1'), null));
      const elapsed = performance.now() - started;

      expect(error).toMatchObject({ code: 'timeout', retryable: true });
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      await silent.close();
    }
  });

  it('reports an unresolvable host as a network error', async () => {
    const error = await failure(open({ smtp: { host: 'smtp.burnrate-test.invalid' } }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'network', retryable: true });
  });

  it('answers findDelivered with undefined: SMTP cannot be asked', async () => {
    const channel = open();
    const n = notification('n-1');
    await channel.deliver(n, null);

    expect(await channel.findDelivered(n, null)).toBeUndefined();
  });
});

describe('email channel configuration errors', () => {
  it('reports refused credentials (535) as bad_config', async () => {
    await sink.close();
    sink = await startSmtpSink({ auth: { user: 'burnrate', password: 'right' } });
    const error = await failure(open({ smtp: { user: 'burnrate', password: 'wrong' } }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'bad_config', retryable: false, message: expect.stringMatching(/535/) });
    await open({ smtp: { user: 'burnrate', password: 'right' } }).deliver(notification('n-1'), null);
    expect(await sink.waitFor(1)).toHaveLength(1);
  });

  it('reports requireTLS against a server without STARTTLS as bad_config, sending nothing in the clear', async () => {
    const error = await failure(open({ smtp: { requireTLS: true } }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'bad_config', retryable: false });
    expect(sink.messages).toEqual([]);
  });

  it('reports implicit TLS against a plain-text port as bad_config', async () => {
    const error = await failure(open({ smtp: { secure: true } }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'bad_config', retryable: false });
  });
});

/** Accepts TCP connections and never says a word, like a firewall or a hung MTA. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((ok) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => ok());
      }),
  };
}
