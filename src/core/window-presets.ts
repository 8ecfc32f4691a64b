import type { Severity } from './windows.js';

/**
 * The Google SRE Workbook ("Alerting on SLOs") multiwindow, multi-burn-rate table, as data.
 * Budget fractions are what each pair has consumed when it fires; burn factors are derived from them
 * and the SLO's own window (factor = fraction × SLO window / long window), so a 28d or 7d SLO gets
 * thresholds that mean the same thing as 14.4 / 6 / 3 / 1 do for 30 days.
 */
export interface WindowPreset {
  severity: Severity;
  long: string;
  short: string;
  budgetPercent: number;
}

export const workbookWindows: readonly WindowPreset[] = [
  { severity: 'page', long: '1h', short: '5m', budgetPercent: 2 },
  { severity: 'page', long: '6h', short: '30m', budgetPercent: 5 },
  { severity: 'ticket', long: '1d', short: '2h', budgetPercent: 10 },
  { severity: 'ticket', long: '3d', short: '6h', budgetPercent: 10 },
];
