import type { LabelSet } from '../labels/matchers.js';
import { compileMatcher, formatMatcher, matchesAll, MatcherSyntaxError } from '../routing/matcher.js';
import { silenceState, type Silence } from './silence.js';

/**
 * The active silences that mute an alert with these labels. Matchers are compiled once per matcher object
 * (see compileMatcher), so a batch of thousands of alerts against tens of silences costs only the tests.
 */
export function silencing(silences: readonly Silence[], labels: LabelSet, now: number): Silence[] {
  const found: Silence[] = [];
  for (const silence of silences) {
    if (silenceState(silence, now) === 'active' && mutes(silence, labels)) found.push(silence);
  }
  return found;
}

/**
 * A silence stored before a rule it breaks existed (a regex the engine now refuses, one over the size bound)
 * mutes nothing rather than stopping every delivery beat.
 */
function mutes(silence: Silence, labels: LabelSet): boolean {
  try {
    return matchesAll(silence.matchers, labels);
  } catch (error) {
    if (error instanceof MatcherSyntaxError) return false;
    throw error;
  }
}

/** Why a stored silence mutes nothing (a matcher the engine refuses), or undefined when it works. */
export function silenceProblem(silence: Silence): string | undefined {
  for (const matcher of silence.matchers) {
    try {
      compileMatcher(matcher);
    } catch (error) {
      if (error instanceof MatcherSyntaxError) return `mutes nothing: matcher ${formatMatcher(matcher)} is refused (${error.message})`;
      throw error;
    }
  }
  return undefined;
}
