import { DeliveryError, type Channel, type ThreadRef } from '../notify/channel.js';
import type { PagerDutyTarget } from '../routing/routing-model.js';
import { pagerDutyStatusError, pagerDutyRequestError } from './pagerduty-errors.js';
import { pagerDutyDedupKey, pagerDutyEvent } from './pagerduty-event.js';

export interface PagerDutyChannelOptions {
  target: PagerDutyTarget;
  /** Per request. Default 10000. */
  timeoutMs?: number;
}

/** What an incident's thread keeps for PagerDuty: the `dedup_key` every later event of the incident reuses. */
export interface PagerDutyThread {
  dedupKey: string;
}

const threadOf = (thread: ThreadRef | null): PagerDutyThread | undefined => {
  const value = thread?.['pagerduty'] as { dedupKey?: unknown } | undefined;
  return typeof value?.dedupKey === 'string' ? { dedupKey: value.dedupKey } : undefined;
};

/**
 * PagerDuty Events API v2 (`POST {url}/v2/enqueue`). The incident's `dedup_key` is its first notification's id:
 * the page carries it, and its updates and resolve take it from the incident's thread, so every event of one
 * incident names the same PagerDuty alert. A 2xx answer (PagerDuty's is 202) is success.
 */
export function createPagerDutyChannel(options: PagerDutyChannelOptions): Channel {
  const { target } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const enqueueUrl = `${target.url}/v2/enqueue`;

  return {
    kind: 'pagerduty',

    async deliver(notification, thread) {
      // Without a thread this is the incident's first notification, whose id is the incident's.
      const dedupKey = threadOf(thread)?.dedupKey ?? pagerDutyDedupKey(notification.id);
      const event = pagerDutyEvent(notification, dedupKey, target);
      const what = `PagerDuty ${event.event_action}`;
      let response: Response;
      let body: string;
      try {
        response = await fetch(enqueueUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.text();
      } catch (error) {
        throw pagerDutyRequestError(what, error);
      }
      if (response.status < 200 || response.status > 299) throw pagerDutyStatusError(what, response.status, body, response.headers.get('retry-after'));
      const answered = answeredKey(body);
      if (answered !== undefined && answered !== dedupKey) throw new DeliveryError('server_error', `${what}: answered with dedup_key ${answered}, sent ${dedupKey}`);
      return { pagerduty: { dedupKey } };
    },

    // PagerDuty cannot be asked whether an event arrived. It need not be: a resend after a crash carries the same
    // dedup_key, so PagerDuty folds it into the alert it already opened (a trigger) or resolves it again (a
    // resolve, which is harmless). The outbox resends; PagerDuty deduplicates.
    findDelivered: () => Promise.resolve(undefined),

    nextThread: (previous, receipt) => {
      const kept = threadOf(previous);
      const sent = receipt['pagerduty'] as PagerDutyThread | undefined;
      return kept || !sent ? { ...previous } : { ...previous, pagerduty: { dedupKey: sent.dedupKey } };
    },

    close: () => Promise.resolve(),
  };
}

function answeredKey(body: string): string | undefined {
  try {
    const key = (JSON.parse(body) as { dedup_key?: unknown }).dedup_key;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
