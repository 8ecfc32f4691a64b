import { formatDuration, humanizeSeconds } from './duration.js';

/** Below this coverage a budget is said to be over the history it has, not over the whole window. */
const fullCoverage = 0.999;

/**
 * What the budget is computed over, when that is less than the SLO window: `over 2h 10m of 30d`. Empty when the
 * history covers the window. A new service or a fresh install has a budget over the hours it has seen, and
 * a bare −10,040% without this would read as a disaster.
 */
export function coverageText(coverage: number, window: number): string {
  if (!(coverage < fullCoverage)) return '';
  const covered = Math.max(coverage, 0) * window;
  return `over ${covered < 1 ? 'no time' : humanizeSeconds(covered)} of ${formatDuration(window)}`;
}

/** `47.0% left`, or `47.0% left over 4d of 30d` when the history is shorter than the window. */
export function budgetLeftText(remaining: number | null, coverage: number, window: number, digits = 1): string {
  if (remaining === null) return '-';
  const over = coverageText(coverage, window);
  return `${(remaining * 100).toFixed(digits)}% left${over === '' ? '' : ` ${over}`}`;
}
