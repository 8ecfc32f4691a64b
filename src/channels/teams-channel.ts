import type { Channel, ThreadRef } from '../notify/channel.js';
import type { RenderTeams, TeamsPageRef } from '../notify/rendering.js';
import { teamsRequestError, teamsStatusError, parseRetryAfter } from './teams-errors.js';
import { teamsRateLimiter, type RateLimiter } from './teams-rate-limit.js';

export interface TeamsChannelOptions {
  /** The Workflows webhook URL (`…logic.azure.com…` or `…environment.api.powerplatform.com…`, signed `sig=`). */
  url: string;
  render: RenderTeams;
  /** Per request, until the answer's status line and body. Default 10000. */
  timeoutMs?: number;
  /** Default: the process-wide limiter, 4 requests per 1.1 s per URL. */
  limiter?: RateLimiter;
  /** Unix seconds, to read a `Retry-After` given as a date. */
  now?: () => number;
}

/** What an incident's thread keeps for Teams: its first card (the page), named by every later card. */
export type TeamsThread = TeamsPageRef;

const answerPreviewChars = 200;

const threadOf = (thread: ThreadRef | null): TeamsThread | undefined => {
  const value = thread?.['teams'] as Partial<TeamsThread> | undefined;
  if (typeof value?.incident !== 'string') return undefined;
  return { incident: value.incident, title: typeof value.title === 'string' ? value.title : value.incident, firedAt: typeof value.firedAt === 'number' ? value.firedAt : null };
};

/**
 * Microsoft Teams through a Workflows (Power Automate) webhook: one Adaptive Card per notification, POSTed as
 * JSON. Teams has no message update through a webhook, so a resolve is a new card naming the page it resolves.
 * Teams cannot be asked whether a card arrived and takes no idempotency key: `findDelivered` cannot tell, and a
 * resend after a crash or a timeout (Teams may have posted before we gave up waiting) can show a card twice.
 */
export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limiter = options.limiter ?? teamsRateLimiter;
  const now = options.now ?? (() => Date.now() / 1000);

  return {
    kind: 'teams',

    async deliver(notification, thread) {
      const page = threadOf(thread) ?? null;
      const rendering = options.render(notification, page);
      const body = JSON.stringify(rendering.message);
      await limiter.acquire(options.url);
      let response: Response;
      let answer: string;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'burnrate-teams/1' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        answer = await response.text();
      } catch (error) {
        throw teamsRequestError(error, timeoutMs);
      }
      if (response.status < 200 || response.status > 299) {
        const preview = answer.replace(/\s+/g, ' ').trim().slice(0, answerPreviewChars);
        throw teamsStatusError(response.status, parseRetryAfter(response.headers.get('retry-after'), now()), preview);
      }
      return { teams: page ?? ({ incident: notification.id, ...rendering.page } satisfies TeamsThread) };
    },

    // Teams cannot be asked whether a card arrived (a webhook is write-only): the outbox resends.
    findDelivered: () => Promise.resolve(undefined),

    // Every later card of an incident names its first one.
    nextThread: (previous, receipt) => (threadOf(previous) === undefined && receipt['teams'] !== undefined ? { ...previous, teams: receipt['teams'] } : { ...previous }),

    close: () => Promise.resolve(),
  };
}
