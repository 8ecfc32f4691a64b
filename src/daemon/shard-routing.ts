import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ShardingSettings } from '../config/sharding-settings.js';
import { shardOf } from '../core/shard.js';
import type { Slo } from '../slo/model.js';
import { dnsLabelPattern } from '../spec/wire-values.js';
import type { Authorize } from './auth.js';
import { HttpError } from './http-errors.js';
import { defineRoute, routePlugin } from './route.js';

/** Where a service is answered: its shard, and that shard's base URL when the peers are configured. */
export interface ShardAnswer {
  service: string;
  shard: number;
  url: string | null;
  here: boolean;
}

/** Which daemon answers for which service: every SLO of a service lives on the shard its name hashes to. */
export interface ShardRouter {
  readonly index: number;
  readonly count: number;
  ownerOf(service: string): ShardAnswer;
  /** The services and SLOs of every shard, as loaded: what a request may name. */
  knows(slos: readonly Pick<Slo, 'name' | 'service'>[]): void;
  /** The service an SLO name belongs to, if any shard has it. */
  serviceOfSlo(name: string): string | undefined;
  isKnownService(service: string): boolean;
}

/** The SLOs this shard evaluates: every SLO when the daemon is not sharded. */
export function ownSlos<S extends Pick<Slo, 'service'>>(slos: readonly S[], sharding: ShardingSettings | undefined): S[] {
  return sharding === undefined ? [...slos] : slos.filter((slo) => shardOf(slo.service, sharding.count) === sharding.index);
}

export function shardRouter(sharding: ShardingSettings): ShardRouter {
  let services = new Set<string>();
  let sloServices = new Map<string, string>();
  return {
    index: sharding.index,
    count: sharding.count,
    ownerOf: (service) => {
      const shard = shardOf(service, sharding.count);
      return { service, shard, url: sharding.peers[shard] ?? null, here: shard === sharding.index };
    },
    knows: (slos) => {
      services = new Set(slos.map((slo) => slo.service));
      sloServices = new Map(slos.map((slo) => [slo.name, slo.service]));
    },
    serviceOfSlo: (name) => sloServices.get(name),
    isKnownService: (service) => services.has(service),
  };
}

/** The services a request to the gate, verify or deploys names, in its query (`service`, `slo`) or body (also a webhook's `metadata`). */
function servicesNamed(request: FastifyRequest, router: ShardRouter): string[] {
  const named: string[] = [];
  const add = (value: unknown) => {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') named.push(item);
  };
  const query = (request.query ?? {}) as Record<string, unknown>;
  add(query['service']);
  const slos = query['slo'];
  for (const name of Array.isArray(slos) ? slos : [slos]) if (typeof name === 'string') add(router.serviceOfSlo(name));
  const body = request.body;
  if (typeof body === 'object' && body !== null) {
    add((body as Record<string, unknown>)['service']);
    const metadata = (body as Record<string, unknown>)['metadata'];
    if (typeof metadata === 'object' && metadata !== null) add((metadata as Record<string, unknown>)['service']);
  }
  return named;
}

const routedPaths = new Set(['/api/v1/gate', '/api/v1/verify', '/api/v1/deploys']);

/**
 * On a shard, a gate, verify or deploy request for a service another shard owns answers 421 `wrong_shard` naming
 * that shard and its URL: the client asks it instead (or reads `GET /api/v1/shards?service=` first). A service no
 * shard has is left to the route (its usual unknown-service answer).
 */
export function misdirectedRequests(app: FastifyInstance, router: ShardRouter): void {
  app.addHook('preHandler', async (request) => {
    if (!routedPaths.has(request.routeOptions.url ?? '')) return;
    for (const service of servicesNamed(request, router)) {
      if (!router.isKnownService(service)) continue;
      const owner = router.ownerOf(service);
      if (owner.here) continue;
      const where = owner.url === null ? '' : ` at ${owner.url}`;
      throw new HttpError(421, 'wrong_shard', `service "${service}" is answered by shard ${owner.shard} of ${router.count}${where}, not by this one (shard ${router.index})`, undefined, owner.url === null ? undefined : { 'x-burnrate-shard-url': owner.url });
    }
  });
}

/** `GET /api/v1/shards[?service=]` (read): this daemon's shard, the peers, and which shard answers for a service. */
export const shardRoutes = routePlugin(({ router, peers }: { router: ShardRouter; peers: readonly string[]; authorize: Authorize }) => [
  defineRoute({
    method: 'GET',
    url: '/api/v1/shards',
    scope: 'read',
    handler: ({ request }) => {
      const service = (request.query as Record<string, unknown>)['service'];
      if (service !== undefined && (typeof service !== 'string' || !dnsLabelPattern.test(service) || service.length > 63)) {
        throw new HttpError(400, 'invalid_query', `service: expected a service name (lowercase a-z, 0-9 and "-"), got ${JSON.stringify(service)}`);
      }
      return {
        index: router.index,
        count: router.count,
        peers,
        ...(typeof service === 'string' && { service: { ...router.ownerOf(service), known: router.isKnownService(service) } }),
      };
    },
  }),
]);
