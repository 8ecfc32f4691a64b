import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server (npm `smtp-server`) on a free loopback port, for tests of mail delivery over real sockets.
 * Plain SMTP without STARTTLS, authentication optional unless `auth` is given (then AUTH PLAIN/LOGIN with those
 * credentials is required; wrong ones are answered `535`).
 *
 * Each accepted message is kept raw and parsed with postal-mime. `rejectNext(code)` scripts the answer to the next
 * message's DATA (one code per message, in order: `rejectNext(451, 550)` refuses two). `stop()` closes the port so
 * connections are refused; `start()` listens again on the same port.
 */
export interface SmtpSink {
  host: string;
  port: number;
  messages: ReceivedMail[];
  rejectNext(...codes: number[]): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Polls until `count` messages arrived; throws with what did arrive once `deadlineMs` passed. */
  waitFor(count: number, deadlineMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface ReceivedMail {
  /** The envelope, as given in MAIL FROM / RCPT TO. */
  from: string;
  to: string[];
  raw: string;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Lower-cased header names with their decoded values, in order. */
  headers: Array<{ key: string; value: string }>;
}

export interface SmtpSinkOptions {
  auth?: { user: string; password: string };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const rejections: number[] = [];
  let server: SMTPServer | undefined;
  let port = 0;

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, done: (error?: Error | null) => void): void => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const code = rejections.shift();
      if (code !== undefined) {
        done(Object.assign(new Error(code >= 500 ? 'Message refused by the test sink' : 'Try again later (test sink)'), { responseCode: code }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      PostalMime.parse(raw)
        .then((email) => {
          const envelopeFrom = session.envelope.mailFrom;
          messages.push({
            from: envelopeFrom === false ? '' : envelopeFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: email.messageId,
            inReplyTo: email.inReplyTo,
            references: email.references,
            subject: email.subject,
            text: email.text,
            html: email.html,
            headers: email.headers.map((h) => ({ key: h.key, value: h.value })),
          });
          done();
        })
        .catch((error: unknown) => done(Object.assign(new Error(`unparseable message: ${String(error)}`), { responseCode: 554 })));
    });
  };

  const start = async (): Promise<void> => {
    const instance = new SMTPServer({
      authOptional: options.auth === undefined,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 100,
      onAuth(auth, _session, callback) {
        const ok = options.auth !== undefined && auth.username === options.auth.user && auth.password === options.auth.password;
        if (ok) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData,
    });
    instance.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.listen(port, '127.0.0.1', () => {
        instance.server.off('error', reject);
        resolve();
      });
    });
    port = (instance.server.address() as AddressInfo).port;
    server = instance;
  };

  const stop = async (): Promise<void> => {
    const instance = server;
    server = undefined;
    if (instance) await new Promise<void>((resolve) => instance.close(() => resolve()));
  };

  await start();
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    messages,
    rejectNext: (...codes) => void rejections.push(...codes),
    start,
    stop,
    async waitFor(count, deadlineMs = 5000) {
      const deadline = Date.now() + deadlineMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages within ${deadlineMs}ms, got ${messages.length}: ${messages.map((m) => m.subject).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return messages;
    },
    close: stop,
  };
}
