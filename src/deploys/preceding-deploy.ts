import type { DeployEvent } from './deploy.js';
import type { DeployStore } from './deploy-store.js';

/** The deploy that preceded the burn, or an explicit statement that there was none in the lookback. */
export type PrecedingDeploy =
  | { found: true; deploy: DeployEvent; /** Seconds between the deploy landing and the burn beginning. */ beforeBurn: number }
  | { found: false; /** Seconds looked back from the burn's start. */ lookback: number };

/**
 * "The deploy that preceded the burn" for a notification: the latest deploy of the SLO's service or its
 * related services within `lookback` before the burn began, or an explicit "none in the lookback".
 */
export function precedingDeploy(
  store: Pick<DeployStore, 'preceding'>,
  query: { service: string; related?: readonly string[]; environment?: string | null; burnStart: number; lookback: number },
): PrecedingDeploy {
  const services = [...new Set([query.service, ...(query.related ?? [])])];
  const deploy = store.preceding(services, query.environment ?? null, query.burnStart, query.lookback);
  return deploy === undefined ? { found: false, lookback: query.lookback } : { found: true, deploy, beforeBurn: query.burnStart - deploy.finishedAt };
}
