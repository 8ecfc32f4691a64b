import * as z from 'zod';
import { defaultComparison } from '../core/error-ratio-comparison.js';
import { parseDuration } from '../core/duration.js';
import { boundedNumber, duration, expecting } from '../spec/wire-values.js';
import { severities, type Severity } from '../core/windows.js';
import type { PeriodBaseline } from './verify-service.js';

/** How deploys are verified: the period after a deploy that is compared, and when a difference is a regression. */
export interface VerificationSettings {
  /** Seconds after the deploy compared with the baseline. */
  period: number;
  /** 0–1: how sure a regression must be at one comparison. */
  confidence: number;
  minBurnRate: number;
  /** 0.5: the ratio after must be 50% above the baseline's. */
  minRelativeIncrease: number;
  /** Events each side needs; undefined: 5 / (1 − objective) for each SLO. */
  minEvents: number | undefined;
  /** The earlier period compared with, by the watch and by default; a canary against stable is asked for per request. */
  baseline: PeriodBaseline;
  /** The daemon compares each service after its deploys and fires DeployRegression on a fail. */
  watch: boolean;
  severity: Severity;
  /** How to roll back, shown in the DeployRegression page: `{{service}}`, `{{version}}`, `{{commit}}`, `{{deploy}}` filled in. */
  rollback: string | undefined;
}

/** The longest period compared after a deploy (with its baseline, two days of samples read). */
export const maxVerificationPeriod = 86_400;

export const defaultVerificationSettings: VerificationSettings = {
  period: 30 * 60,
  ...defaultComparison,
  minEvents: undefined,
  baseline: 'before',
  watch: true,
  severity: 'page',
  rollback: undefined,
};

/** The `verification` key of burnrate.yaml's top level; spread into the config schema's shape. */
export const verificationSchema = {
  verification: z
    .strictObject(
      {
        for: duration({ min: 60, max: maxVerificationPeriod }).optional(),
        confidence: boundedNumber('a percent above 50 and below 100, e.g. 99.9', (v) => v > 50 && v < 100).optional(),
        minBurnRate: boundedNumber('a burn rate of 0 or more, e.g. 1', (v) => v >= 0 && Number.isFinite(v)).optional(),
        minIncrease: boundedNumber('a percent of 0 or more, e.g. 50', (v) => v >= 0 && Number.isFinite(v)).optional(),
        minEvents: z.int({ error: expecting('a whole number of events from 1 to 1000000000') }).min(1).max(1_000_000_000).optional(),
        baseline: z.enum(['before', 'week'], { error: expecting('before or week') }).optional(),
        watch: z.boolean({ error: expecting('true or false') }).optional(),
        severity: z.enum(severities, { error: expecting('page or ticket') }).optional(),
        rollback: z.string({ error: expecting('a rollback command or link, e.g. "kubectl rollout undo deployment/{{service}}"') }).min(1).max(2000).optional(),
      },
      { error: expecting('a mapping with for, confidence, minBurnRate, minIncrease, minEvents, baseline, watch, severity and rollback') },
    )
    .optional(),
};

export type VerificationWire = z.infer<typeof verificationSchema.verification>;

/** Maps the validated `verification` section to settings; the defaults where it says nothing. */
export function toVerificationSettings(wire: VerificationWire): VerificationSettings {
  const d = defaultVerificationSettings;
  return {
    period: wire?.for !== undefined ? (parseDuration(wire.for) ?? d.period) : d.period,
    confidence: wire?.confidence !== undefined ? wire.confidence / 100 : d.confidence,
    minBurnRate: wire?.minBurnRate ?? d.minBurnRate,
    minRelativeIncrease: wire?.minIncrease !== undefined ? wire.minIncrease / 100 : d.minRelativeIncrease,
    minEvents: wire?.minEvents ?? d.minEvents,
    baseline: wire?.baseline ?? d.baseline,
    watch: wire?.watch ?? d.watch,
    severity: wire?.severity ?? d.severity,
    rollback: wire?.rollback ?? d.rollback,
  };
}
