import { matchesAll, type LabelSet } from '../routing/matcher.js';
import { silenceState, type Silence } from './silence.js';

/**
 * The active silences that mute an alert with these labels. Matchers are compiled once per matcher object
 * (see compileMatcher), so a batch of thousands of alerts against tens of silences costs only the tests.
 */
export function silencing(silences: readonly Silence[], labels: LabelSet, now: number): Silence[] {
  const found: Silence[] = [];
  for (const silence of silences) {
    if (silenceState(silence, now) === 'active' && matchesAll(silence.matchers, labels)) found.push(silence);
  }
  return found;
}
