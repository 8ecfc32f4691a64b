import * as z from 'zod';
import { expecting } from '../spec/wire-values.js';

/**
 * The `sharding` key of burnrate.yaml's top level (spread into the config schema's shape): this daemon is shard
 * `index` of `count`, and evaluates, alerts, gates and verifies only the services whose hash falls on it (every SLO
 * of a service on one shard, so the gate and verify answer for a service from one daemon). `peers` lists every
 * shard's base URL in index order, so a shard can say where a service it does not own is answered.
 */
export const shardingSchema = {
  sharding: z
    .strictObject(
      {
        index: z.number({ error: expecting('a shard index from 0') }).int({ error: 'expected a whole shard index' }).min(0, { error: 'expected a shard index from 0' }),
        count: z.number({ error: expecting('a shard count from 1') }).int({ error: 'expected a whole shard count' }).min(1, { error: 'expected a shard count from 1' }).max(1024, { error: 'expected at most 1024 shards' }),
        peers: z.array(z.url({ protocol: /^https?$/, error: 'expected an http(s) base URL of a shard, e.g. http://burnrate-1:9464' })).optional(),
      },
      { error: expecting('a mapping with index, count and optional peers') },
    )
    .superRefine((value, ctx) => {
      if (value.count >= 1 && value.index >= value.count) ctx.addIssue({ code: 'custom', path: ['index'], message: `expected an index below the count (${value.count}), got ${value.index}` });
      if (value.peers === undefined) return;
      if (value.peers.length !== value.count) {
        ctx.addIssue({ code: 'custom', path: ['peers'], message: `expected one URL per shard (${value.count}), in index order, got ${value.peers.length}` });
      }
      const seen = new Set<string>();
      value.peers.forEach((peer, i) => {
        const url = new URL(peer);
        if (url.search !== '' || url.hash !== '') ctx.addIssue({ code: 'custom', path: ['peers', i], message: `expected a base URL without a query or fragment, got "${peer}"` });
        const base = peer.replace(/\/+$/, '');
        if (seen.has(base)) ctx.addIssue({ code: 'custom', path: ['peers', i], message: `expected a different URL for each shard, got "${peer}" twice` });
        seen.add(base);
      });
    })
    .optional(),
};

export type ShardingWire = z.infer<typeof shardingSchema.sharding>;

export interface ShardingSettings {
  index: number;
  count: number;
  /** Every shard's base URL in index order, without a trailing slash; empty when not configured. */
  peers: string[];
}

export function toShardingSettings(wire: ShardingWire): ShardingSettings | undefined {
  if (wire === undefined) return undefined;
  return { index: wire.index, count: wire.count, peers: (wire.peers ?? []).map((url) => url.replace(/\/+$/, '')) };
}
