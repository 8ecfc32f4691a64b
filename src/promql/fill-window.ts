import { formatDuration } from '../core/duration.js';

/** The placeholder an SLI query template carries where the range of its matrix selector goes. */
export const windowPlaceholder = '{{window}}';

/** A valid PromQL duration as long as `{{window}}`: a template parsed with it in place keeps its offsets. */
export const windowSentinel = '999999999s';

/**
 * Substitutes every `{{window}}` with a PromQL duration (`5m`, `1h`, `3d`, `1w`).
 * PromQL durations take whole numbers only, so `seconds` must be a positive integer.
 */
export function fillWindow(template: string, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new RangeError(`a query window must be a positive whole number of seconds, got ${seconds}`);
  }
  return template.replaceAll(windowPlaceholder, formatDuration(seconds));
}
