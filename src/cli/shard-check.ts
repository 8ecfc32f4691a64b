import type { Config } from '../config/config.js';
import { shardOf } from '../core/shard.js';
import { CliError, exitCodes } from './io.js';

/** On a shard, the database holds only its own services: a question about another shard's service is asked there. */
export function checkShard(config: Pick<Config, 'sharding'>, services: Iterable<string>): void {
  const sharding = config.sharding;
  if (sharding === undefined) return;
  for (const service of services) {
    const owner = shardOf(service, sharding.count);
    if (owner === sharding.index) continue;
    const url = sharding.peers[owner];
    throw new CliError(`service "${service}" is evaluated by shard ${owner} of ${sharding.count}${url === undefined ? '' : ` (${url})`}, not by this one (shard ${sharding.index}): ask that shard`, exitCodes.usage);
  }
}
