import { fillWindow } from '../promql/fill-window.js';

/** The label that tells the windows of one combined query apart. */
export const windowLabel = 'burnrate_window';

/**
 * One PromQL expression returning the template's value at several windows, each series labelled with its
 * window in seconds, so one request yields every window an evaluation needs:
 * `label_replace(T[5m], "burnrate_window", "300", "", "") or label_replace(T[1h], …) or …`.
 */
export function windowsQuery(template: string, windows: readonly number[]): string {
  return [...new Set(windows)]
    .map((window) => `label_replace(${fillWindow(template, window)}, "${windowLabel}", "${window}", "", "")`)
    .join(' or ');
}
