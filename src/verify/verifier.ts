import type { MetricBackend } from '../backends/backend.js';
import type { Slo } from '../slo/model.js';
import type { VerificationSettings } from './verification-settings.js';
import { verifyService, type Baseline, type VerificationAnswer } from './verify-service.js';
import { verifyTarget, type DeployLookup, type VerifyTarget } from './verify-target.js';

/** A verification as asked: the service, and the deploy, a time, or neither (its latest deploy); overrides of the settings. */
export interface VerifyAsk {
  service: string;
  deploy?: string;
  since?: number;
  period?: number;
  baseline?: Baseline;
}

/** What a verification runs on: the daemon's or a command's SLOs, deploy records, backend and settings. */
export interface VerifierParts {
  slos: readonly Slo[];
  deploys: DeployLookup | undefined;
  backend: MetricBackend;
  settings: VerificationSettings;
  /** The evaluation bucket and query delay (evaluation settings). */
  bucket: number;
  queryDelay: number;
}

/** The SLOs and the time to compare from, resolved once (a wait keeps comparing from the same deploy). */
export function targetOf(parts: VerifierParts, ask: VerifyAsk, now: number): VerifyTarget {
  return verifyTarget(parts.slos, ask.service, ask, parts.deploys, now);
}

/** Compares the target's SLOs at `now` (data complete up to now − the query delay). */
export function verifyAt(parts: VerifierParts, ask: VerifyAsk, target: VerifyTarget, now: number, signal?: AbortSignal): Promise<VerificationAnswer> {
  const settings = { ...parts.settings, ...(ask.period !== undefined && { period: ask.period }) };
  return verifyService({
    service: ask.service,
    ...target,
    now: now - parts.queryDelay,
    bucket: parts.bucket,
    baseline: ask.baseline ?? settings.baseline,
    settings,
    backend: parts.backend,
    ...(signal && { signal }),
  });
}
