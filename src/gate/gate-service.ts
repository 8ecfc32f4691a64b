import type { AlertStore } from '../alerting/alert-store.js';
import type { Slo } from '../slo/model.js';
import type { DeployEvent } from '../deploys/deploy.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import { deployCosts } from '../engine/deploy-costs.js';
import type { EvaluationStore } from '../engine/evaluation-store.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import { decideGate } from './decide.js';
import type { GateAnswer, GateRequest } from './gate-answer.js';
import type { GateLog } from './gate-log.js';
import type { GateConfig } from './gate-policy.js';
import type { OverrideStore } from './override-store.js';

/** Where the gate reads from and records to: the stores the daemon writes and the CLI opens. */
export interface GateSources {
  slos: ReadonlyArray<Pick<Slo, 'name' | 'service' | 'window' | 'objective'>>;
  evaluations: Pick<EvaluationStore, 'latest'>;
  alerts: Pick<AlertStore, 'forSlo'>;
  overrides: Pick<OverrideStore, 'active'>;
  log: Pick<GateLog, 'record'>;
  config: GateConfig;
  /** Where the last deploy's budget cost is read from; without it the answer names no deploy. */
  deployCosts?: { deploys: Pick<DeployStore, 'list'>; ledger: Pick<BucketLedger, 'windowCounts' | 'sumsAt'>; bucket: number };
}

/** The request names no SLO we know: `unknown_service`, `unknown_slo`, or `no_target` when it names nothing. */
export class GateTargetError extends Error {
  constructor(
    readonly code: 'unknown_service' | 'unknown_slo' | 'no_target',
    message: string,
  ) {
    super(message);
    this.name = 'GateTargetError';
  }
}

const sortedServices = (slos: ReadonlyArray<Pick<Slo, 'service'>>): string[] => [...new Set(slos.map((slo) => slo.service))].sort();

/** The SLOs a request is about; throws GateTargetError naming what exists. */
export function gateTargets<S extends Pick<Slo, 'name' | 'service' | 'window'>>(slos: readonly S[], request: GateRequest): S[] {
  if (request.service !== undefined) {
    const matching = slos.filter((slo) => slo.service === request.service);
    if (matching.length === 0) {
      throw new GateTargetError('unknown_service', `unknown service "${request.service}"; known services: ${sortedServices(slos).join(', ') || '(none)'}`);
    }
    return matching;
  }
  if (request.slos.length === 0) throw new GateTargetError('no_target', 'name a service or at least one SLO');
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  const missing = request.slos.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new GateTargetError(
      'unknown_slo',
      `unknown SLO ${missing.map((name) => `"${name}"`).join(', ')}; known services: ${sortedServices(slos).join(', ') || '(none)'}`,
    );
  }
  return [...new Set(request.slos)].map((name) => byName.get(name)!);
}

/** The cost of each target's service's latest deploy to it; the deploy is looked up once per service. */
function lastDeployCosts(from: GateSources['deployCosts'], targets: ReadonlyArray<GateSources['slos'][number]>, now: number) {
  if (from === undefined) return () => undefined;
  const latest = new Map<string, DeployEvent[]>();
  for (const service of new Set(targets.map((slo) => slo.service))) latest.set(service, from.deploys.list({ service, to: now, limit: 1 }));
  return (slo: GateSources['slos'][number]) => deployCosts(slo, latest.get(slo.service) ?? [], from.ledger, now, from.bucket)[0];
}

/**
 * Answers a gate request from stored evaluations and current alerts (never from the metric backend), and records
 * the decision with who asked. The CLI and the HTTP route both answer through here.
 */
export function answerGate(sources: GateSources, request: GateRequest, requester: string, now: number): GateAnswer {
  const targets = gateTargets(sources.slos, request);
  const lastDeployCost = lastDeployCosts(sources.deployCosts, targets, now);
  const answer = decideGate(
    {
      request,
      slos: targets.map((slo) => ({
        slo,
        latest: sources.evaluations.latest(slo.name),
        alerts: [...sources.alerts.forSlo(slo.name).values()],
        lastDeploy: lastDeployCost(slo),
      })),
      overrides: sources.overrides.active(now),
    },
    sources.config,
    now,
  );
  sources.log.record(answer, requester, now);
  return answer;
}
