import type { Channel } from '../notify/channel.js';
import type { RenderEmail } from '../notify/rendering.js';
import { messageIdDomain, nextEmailThread, notificationMessageId, threadHeaders } from './email-threading.js';
import { smtpDeliveryError } from './smtp-errors.js';
import { smtpTransport } from './smtp-transport.js';

export interface EmailChannelOptions {
  from: string;
  to: string[];
  smtp: {
    host: string;
    port: number;
    /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when offered. */
    secure: boolean;
    /** Refuse to send unless STARTTLS succeeds. */
    requireTLS?: boolean;
    user?: string;
    password?: string;
  };
  render: RenderEmail;
  /** Bounds each phase: DNS, connect, greeting, and socket inactivity. Default 10000. */
  timeoutMs?: number;
  /** Domain of the Message-IDs; default the sender's domain. */
  messageIdDomain?: string;
}

/**
 * Email through nodemailer, one connection per message. nodemailer's default timeouts run to minutes; an outbox
 * worker would sit on a dead server that long, so every one of them is cut to `timeoutMs`.
 */
export function createEmailChannel(options: EmailChannelOptions): Channel {
  const timeout = options.timeoutMs ?? 10_000;
  const { smtp } = options;
  const transport = smtpTransport(
    { host: smtp.host, port: smtp.port, secure: smtp.secure, requireTLS: smtp.requireTLS ?? false, auth: smtp.user === undefined ? undefined : { user: smtp.user, password: smtp.password ?? '' } },
    timeout,
  );
  const domain = messageIdDomain(options.from, options.messageIdDomain);

  return {
    kind: 'email',

    async deliver(n, thread) {
      const root = thread?.email;
      const rendering = options.render(n, root !== undefined);
      const messageId = notificationMessageId(n.id, domain);
      try {
        await transport.sendMail({
          from: options.from,
          to: options.to,
          subject: rendering.subject,
          text: rendering.text,
          html: rendering.html,
          messageId,
          ...(root ? threadHeaders(root.rootMessageId, root.references) : {}),
        });
      } catch (error) {
        throw smtpDeliveryError(error);
      }
      return { email: { messageId } };
    },

    nextThread: (previous, receipt) => (receipt.email ? { ...previous, email: nextEmailThread(previous?.email, receipt.email.messageId) } : { ...previous }),

    // SMTP cannot be asked whether a message arrived; a resend carries the same Message-ID instead.
    findDelivered: () => Promise.resolve(undefined),

    close: async () => {
      transport.close();
    },
  };
}
