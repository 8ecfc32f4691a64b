import type { DeployEvent } from '../deploys/deploy.js';
import { maxFutureSeconds } from '../deploys/deploy-input.js';
import type { Slo } from '../slo/model.js';
import type { Baseline } from './verify-service.js';

export type VerifyTargetErrorCode = 'unknown_service' | 'unknown_deploy' | 'no_deploy' | 'deploy_of_other_service' | 'future_since' | 'no_tracks';

/** A verification that names something that is not there. */
export class VerifyTargetError extends Error {
  constructor(
    readonly code: VerifyTargetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyTargetError';
  }
}

/** What verify asks of the deploy records. */
export interface DeployLookup {
  get(id: string): DeployEvent | undefined;
  list(filter: { service: string; to: number; limit: number }): DeployEvent[];
  /** Every deploy finished in [from, to], newest first. */
  finishedBetween(from: number, to: number): DeployEvent[];
}

export interface VerifyTarget {
  slos: Slo[];
  since: number;
  deploy: DeployEvent | undefined;
}

/**
 * The service's SLOs (for a canary comparison, those that declare `spec.tracks`) and the time to compare from: the
 * deploy named by id, else `since`, else the service's latest deploy finished by `now`.
 */
export function verifyTarget(slos: readonly Slo[], service: string, ask: { deploy?: string; since?: number; baseline?: Baseline }, deploys: DeployLookup | undefined, now: number): VerifyTarget {
  const all = slos.filter((slo) => slo.service === service);
  if (all.length === 0) {
    const known = [...new Set(slos.map((slo) => slo.service))].sort();
    throw new VerifyTargetError('unknown_service', `no SLO has service "${service}" (services: ${known.join(', ') || 'none'})`);
  }
  const ofService = ask.baseline === 'stable' ? all.filter((slo) => slo.tracks !== undefined) : all;
  if (ofService.length === 0) {
    const names = all.map((slo) => slo.name).join(', ');
    throw new VerifyTargetError('no_tracks', `no SLO of "${service}" declares spec.tracks (${names}): a canary comparison needs the label selectors of its canary and stable series, e.g. tracks: {canary: '{track="canary"}', stable: '{track="stable"}'}`);
  }
  if (ask.deploy !== undefined) {
    const deploy = deploys?.get(ask.deploy);
    if (!deploy) throw new VerifyTargetError('unknown_deploy', `no deploy with id "${ask.deploy}" is recorded`);
    if (deploy.service !== service) throw new VerifyTargetError('deploy_of_other_service', `deploy "${ask.deploy}" is of service "${deploy.service}", not "${service}"`);
    return { slos: ofService, since: deploy.finishedAt, deploy };
  }
  if (ask.since !== undefined) {
    if (ask.since > now + maxFutureSeconds) throw new VerifyTargetError('future_since', `the time to compare from is ${Math.round(ask.since - now)} s ahead of now; at most ${maxFutureSeconds} s (clock skew) is allowed`);
    return { slos: ofService, since: ask.since, deploy: undefined };
  }
  // Deploys may be recorded a little ahead of this clock (CI runners' skew): the latest one counts even then.
  const latest = deploys?.list({ service, to: now + maxFutureSeconds, limit: 1 })[0];
  if (!latest) throw new VerifyTargetError('no_deploy', `no deploy of "${service}" is recorded: name one with a deploy id or a time to compare from`);
  return { slos: ofService, since: latest.finishedAt, deploy: latest };
}
