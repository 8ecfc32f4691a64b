import { createHash } from 'node:crypto';

/**
 * The shard (0 … count − 1) that owns `key`: the first 32 bits of its SHA-256, modulo `count`. Stable across
 * processes, machines and releases, so every daemon and every client computes the same owner without talking.
 */
export function shardOf(key: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a shard count must be a whole number of at least 1, got ${count}`);
  return createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % count;
}
