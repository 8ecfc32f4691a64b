import type { Matcher } from '../routing/matcher.js';

/** A silence mutes the alerts all its matchers match while it is active. Times are unix seconds. */
export interface Silence {
  id: string;
  matchers: readonly Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
  updatedAt: number;
}

export const silenceStates = ['active', 'pending', 'expired'] as const;
export type SilenceState = (typeof silenceStates)[number];

/** Pending before `startsAt`, active in [startsAt, endsAt), expired from `endsAt` on: expiring at `now` takes effect at once. */
export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now < silence.startsAt) return 'pending';
  if (now >= silence.endsAt) return 'expired';
  return 'active';
}

export const silenceErrorCodes = ['invalid', 'not_found', 'already_expired'] as const;
export type SilenceErrorCode = (typeof silenceErrorCodes)[number];

export class SilenceError extends Error {
  constructor(
    readonly code: SilenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SilenceError';
  }
}
