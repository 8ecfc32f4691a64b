import type { StoredMessage } from '../support/fake-slack.js';
import type { ReceivedMail } from '../support/smtp-sink.js';

/** A notification as planned in the outbox: an incident's page has `id === incident`, its resolve does not. */
export interface PlannedDelivery {
  id: string;
  incident: string;
}

export interface SlackTally {
  planned: number;
  /** Planned ids no message carries. */
  lost: string[];
  /** Ids carried by more than one message, with how many. */
  duplicated: Array<{ id: string; messages: number }>;
  /** burnrate messages carrying an id that was never planned. */
  stray: number;
  /** Pages that are not top-level messages, or resolves that are not replies in their page's thread. */
  misplaced: string[];
  /** Incidents whose page was not updated in place (chat.update) to say it resolved. */
  notUpdated: string[];
}

export interface EmailTally {
  planned: number;
  /** Planned notifications whose Message-ID never arrived. */
  lost: string[];
  /** Messages as a mail client shows them (one per Message-ID) beyond one per planned notification. */
  readerDuplicates: number;
  /** Raw SMTP deliveries of a Message-ID that had already arrived. */
  rawRedeliveries: number;
  /** Resolves whose In-Reply-To is not their page's Message-ID. */
  misthreaded: string[];
}

const idOf = (message: StoredMessage) => {
  const id = message.metadata?.event_type === 'burnrate_notification' ? message.metadata.event_payload['id'] : undefined;
  return typeof id === 'string' ? id : undefined;
};

/** What the Slack channel shows, against what was planned. */
export function tallySlack(planned: readonly PlannedDelivery[], messages: readonly StoredMessage[]): SlackTally {
  const byId = new Map<string, StoredMessage[]>();
  for (const message of messages) {
    const id = idOf(message);
    if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), message]);
  }
  const known = new Set(planned.map((p) => p.id));
  const misplaced: string[] = [];
  const notUpdated: string[] = [];
  for (const p of planned) {
    const [message] = byId.get(p.id) ?? [];
    if (!message) continue;
    if (p.id === p.incident) {
      if (message.thread_ts !== undefined) misplaced.push(p.id);
      const hasResolve = planned.some((other) => other.incident === p.id && other.id !== p.id);
      if (hasResolve && !(message.history.length > 0 && message.history[0]?.text?.startsWith('[FIRING]') && message.text?.startsWith('[RESOLVED]'))) notUpdated.push(p.id);
    } else {
      const [page] = byId.get(p.incident) ?? [];
      if (!page || message.thread_ts !== page.ts) misplaced.push(p.id);
    }
  }
  return {
    planned: planned.length,
    lost: planned.filter((p) => !byId.has(p.id)).map((p) => p.id),
    duplicated: [...byId].filter(([id, found]) => known.has(id) && found.length > 1).map(([id, found]) => ({ id, messages: found.length })),
    stray: [...byId.keys()].filter((id) => !known.has(id)).length,
    misplaced,
    notUpdated,
  };
}

/** What the mailbox holds, against what was planned; Message-IDs are `<id@domain>`. */
export function tallyEmail(planned: readonly PlannedDelivery[], mails: readonly ReceivedMail[], domain: string): EmailTally {
  const messageId = (id: string) => `<${id}@${domain}>`;
  const bracket = (value: string | undefined) => (value === undefined ? undefined : `<${value.trim().replace(/^<|>$/g, '')}>`);
  const byMessageId = new Map<string, ReceivedMail[]>();
  for (const mail of mails) {
    const key = bracket(mail.messageId) ?? '(none)';
    byMessageId.set(key, [...(byMessageId.get(key) ?? []), mail]);
  }
  const received = planned.filter((p) => byMessageId.has(messageId(p.id)));
  return {
    planned: planned.length,
    lost: planned.filter((p) => !byMessageId.has(messageId(p.id))).map((p) => p.id),
    readerDuplicates: byMessageId.size - received.length,
    rawRedeliveries: [...byMessageId.values()].reduce((sum, copies) => sum + copies.length - 1, 0),
    misthreaded: received
      .filter((p) => p.id !== p.incident)
      .filter((p) => (byMessageId.get(messageId(p.id)) ?? []).some((mail) => bracket(mail.inReplyTo) !== messageId(p.incident)))
      .map((p) => p.id),
  };
}
