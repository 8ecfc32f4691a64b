import type { FakeSlack, StoredMessage } from './fake-slack.js';
import type { ReceivedMail, SmtpSink } from './smtp-sink.js';

/** What an on-call person saw arrive, with the second (relative to `origin`) each arrived at. */
export interface Arrivals {
  /** New top-level Slack messages of the channel: the ones that notify. */
  slack: Array<{ at: number; message: StoredMessage }>;
  emails: Array<{ at: number; mail: ReceivedMail }>;
  /** Call once a second of the fake clock. */
  observe(now: number): void;
  /** Emails that start a thread (no In-Reply-To): each is a new conversation in the mail client. */
  threadStarts(): ReceivedMail[];
}

export function recordArrivals(slack: FakeSlack, smtp: SmtpSink, channel: string, origin: number): Arrivals {
  const arrivals: Arrivals = {
    slack: [],
    emails: [],
    observe(now) {
      for (const message of slack.topLevel(channel).slice(arrivals.slack.length)) arrivals.slack.push({ at: now - origin, message });
      for (const mail of smtp.messages.slice(arrivals.emails.length)) arrivals.emails.push({ at: now - origin, mail });
    },
    threadStarts: () => arrivals.emails.map((e) => e.mail).filter((mail) => mail.inReplyTo === undefined),
  };
  return arrivals;
}

/** Text and blocks of a Slack message as first posted (before any `chat.update`), as one string to match. */
export function asPosted(message: StoredMessage): string {
  const first = message.history[0] ?? { text: message.text, blocks: message.blocks };
  return JSON.stringify(first);
}

/** Text and blocks of a Slack message as it reads now. */
export function asNow(message: StoredMessage): string {
  return JSON.stringify({ text: message.text, blocks: message.blocks });
}
