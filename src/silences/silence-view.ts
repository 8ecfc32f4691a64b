import { formatTime } from '../core/time.js';
import type { Matcher } from '../routing/matcher.js';
import { silenceState, type Silence, type SilenceState } from './silence.js';
import { silenceProblem } from './silencing.js';

/** A silence as the CLI's JSON output and the HTTP API show it: times in RFC 3339, with its state at `now`. */
export interface SilenceView {
  id: string;
  state: SilenceState;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
  updatedAt: string;
  /** Present when the silence mutes nothing: a stored matcher the engine refuses. */
  problem?: string;
}

export function silenceView(silence: Silence, now: number): SilenceView {
  const problem = silenceProblem(silence);
  return {
    id: silence.id,
    state: silenceState(silence, now),
    matchers: silence.matchers.map((m) => ({ name: m.name, type: m.type, value: m.value })),
    startsAt: formatTime(silence.startsAt),
    endsAt: formatTime(silence.endsAt),
    createdBy: silence.createdBy,
    comment: silence.comment,
    createdAt: formatTime(silence.createdAt),
    updatedAt: formatTime(silence.updatedAt),
    ...(problem !== undefined && { problem }),
  };
}
