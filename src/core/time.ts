/** Parses a time given on the command line or in the API: RFC 3339 or unix seconds. */
export function parseTime(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

/** RFC 3339 in UTC, whole seconds: `2026-11-22T09:00:00Z`. */
export function formatTime(seconds: number): string {
  return new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The latest multiple of `step` at or before `seconds`. */
export function alignDown(seconds: number, step: number): number {
  return Math.floor(seconds / step) * step;
}
