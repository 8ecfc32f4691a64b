import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load-config.js';
import { toShardingSettings } from '../../src/config/sharding-settings.js';
import { shardOf } from '../../src/core/shard.js';
import { ownSlos } from '../../src/daemon/shard-routing.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

function problems(text: string): string[] {
  try {
    parseConfigText(text, 'burnrate.yaml', {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
}

describe('sharding', () => {
  it('reads index, count and the peers in index order', () => {
    const { wire } = parseConfigText('sharding: {index: 1, count: 2, peers: ["http://b0:9464/", "http://b1:9464"]}\n', 'burnrate.yaml', {});
    expect(toShardingSettings(wire.sharding)).toEqual({ index: 1, count: 2, peers: ['http://b0:9464', 'http://b1:9464'] });
    expect(toShardingSettings(parseConfigText('sharding: {index: 0, count: 3}\n', 'burnrate.yaml', {}).wire.sharding)).toEqual({ index: 0, count: 3, peers: [] });
  });

  it.each([
    ['an index past the count', 'sharding: {index: 2, count: 2}\n', /sharding\.index: expected an index below the count \(2\), got 2/],
    ['a peer list of the wrong length', 'sharding: {index: 0, count: 2, peers: ["http://b0:9464"]}\n', /sharding\.peers: expected one URL per shard \(2\), in index order, got 1/],
    ['a peer that is no URL', 'sharding: {index: 0, count: 1, peers: ["b0:9464"]}\n', /sharding\.peers\.0: expected an http\(s\) base URL of a shard/],
    ['a fractional count', 'sharding: {index: 0, count: 1.5}\n', /sharding\.count: expected a whole shard count/],
    ['a count of 0 (and only that)', 'sharding: {index: 0, count: 0}\n', /sharding\.count: expected a shard count from 1/],
    ['the same peer twice', 'sharding: {index: 0, count: 2, peers: ["http://a:1", "http://a:1/"]}\n', /sharding\.peers\.1: expected a different URL for each shard, got "http:\/\/a:1\/" twice/],
    ['a peer with a query', 'sharding: {index: 0, count: 1, peers: ["http://b:1?x=1"]}\n', /sharding\.peers\.0: expected a base URL without a query or fragment/],
  ])('refuses %s, at the field', (_what, text, message) => {
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^burnrate\.yaml:1:\d+ /);
    expect(found[0]).toMatch(message);
  });

  it('owns a service on exactly one shard, the same one in every process, and spreads services evenly', () => {
    // Fixed values: the hash must not change between releases, or a rolling upgrade would move services.
    // The first 32 bits of the name's SHA-256 modulo the count: `printf checkout | sha256sum` starts c7761e58, 0xc7761e58 % 4 = 0.
    expect([shardOf('checkout', 4), shardOf('search', 4), shardOf('payments', 4), shardOf('payments', 3)]).toEqual([0, 0, 1, 1]);
    expect(shardOf('checkout', 1)).toBe(0);
    const services = Array.from({ length: 4000 }, (_, i) => ({ service: `svc-${i}` }));
    const counts = [0, 1, 2, 3].map((index) => ownSlos(services, { index, count: 4, peers: [] }).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4000);
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(120);
    expect(ownSlos(services, undefined)).toHaveLength(4000);
  });
});
