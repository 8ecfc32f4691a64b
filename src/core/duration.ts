/** Durations as written in SLO files and flags: a whole number and a unit, e.g. `5m`, `1h`, `30d`, `4w`. */

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
type Unit = keyof typeof unitSeconds;

const pattern = /^(\d+)(s|m|h|d|w)$/;

/** Longer than any duration that makes sense here (SLO windows, retention, silences): about 1000 years. */
export const maxDurationSeconds = 1000 * 365 * 86_400;

/** Parses a duration into seconds; returns undefined when the text is not one, or is over {@link maxDurationSeconds}. */
export function parseDuration(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * unitSeconds[match[2] as Unit];
  return seconds > 0 && seconds <= maxDurationSeconds ? seconds : undefined;
}

/** Formats seconds with the largest unit that divides them exactly: 3600 → `1h`, 5400 → `90m`. */
export function formatDuration(seconds: number): string {
  const units: Unit[] = ['w', 'd', 'h', 'm', 's'];
  for (const unit of units) {
    const size = unitSeconds[unit];
    if (seconds % size === 0 && seconds >= size) {
      // Weeks read oddly for SLO windows ("4w" is fine, "30d" should stay days).
      if (unit === 'w' && seconds % unitSeconds.d === 0 && seconds / unitSeconds.d % 7 !== 0) continue;
      return `${seconds / size}${unit}`;
    }
  }
  return `${seconds}s`;
}

/** Human-readable approximation for output: `1d 4h`, `52s`, `3h 20m`. */
export function humanizeSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return seconds > 0 ? '∞' : '-∞';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest < 60) return `${sign}${rest}s`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}
