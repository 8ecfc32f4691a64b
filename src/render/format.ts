import { formatDuration, humanizeSeconds } from '../core/duration.js';
import { formatTime } from '../core/time.js';

/** Figures as pages show them. Each returns `n/a` for a missing value. */

/** A budget fraction as a percentage: `62%`, `4.5%`, `-12%` once overspent. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return 'n/a';
  const percent = fraction * 100;
  const digits = Math.abs(percent) >= 10 || percent === 0 ? 0 : 1;
  return `${trimZeros(percent.toFixed(digits))}%`;
}

/** A measured burn rate: `16.2×`, `0.4×`, `1200×`. */
export function formatBurn(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return 'n/a';
  return `${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}×`;
}

/** A burn rate rounded for a one-line summary: `16×`, `4.1×`. */
export function formatBurnShort(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return 'n/a';
  return `${rate >= 10 ? Math.round(rate) : trimZeros(rate.toFixed(1))}×`;
}

/** A burn-rate threshold with up to two decimals: `14.4×`, `6×`, `13.44×`. */
export function formatFactor(factor: number): string {
  return `${trimZeros(factor.toFixed(2))}×`;
}

/** An objective given in percent: `99.9%`. */
export function formatObjective(percent: number): string {
  return `${trimZeros(percent.toFixed(4))}%`;
}

/** A length of time for people: `52s`, `1h 5m`, `1d 4h`. */
export function formatSpan(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return 'n/a';
  return humanizeSeconds(seconds);
}

/** A window as SLO files write it: `30d`, `1h`, `5m`. */
export function formatWindow(seconds: number): string {
  return formatDuration(seconds);
}

/** RFC 3339 UTC: `2026-03-14T03:02:30Z`. */
export function formatInstant(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'n/a';
  return formatTime(seconds);
}

/** Time relative to `now`: `12m ago`, `in 5m`, `just now`. */
export function formatAgo(seconds: number | null | undefined, now: number): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'n/a';
  const delta = Math.round(now - seconds);
  if (Math.abs(delta) < 1) return 'just now';
  return delta > 0 ? `${humanizeSeconds(delta)} ago` : `in ${humanizeSeconds(-delta)}`;
}

/** A lookback as a sentence reads it: `24 h`, `3 days`, `90m`. */
export function formatLookback(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return humanizeSeconds(seconds);
}

/** A commit hash shortened to 7 characters; other revision names unchanged. */
export function shortCommit(commit: string | null | undefined): string {
  if (!commit) return '';
  return /^[0-9a-f]{8,64}$/i.test(commit) ? commit.slice(0, 7) : commit;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
