/** A TCP address to listen on. */
export interface ListenAddress {
  host: string;
  port: number;
}

export const listenExample = 'host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (port 0 picks a free one)';

/**
 * Parses `host:port` (`[v6]:port` for IPv6; an empty host means 127.0.0.1). Returns the reason when the text is
 * not an address: a missing port, a port that is not a whole number from 0 to 65535, a host with spaces.
 */
export function parseListenAddress(text: string): ListenAddress | { problem: string } {
  const got = JSON.stringify(text);
  const index = text.lastIndexOf(':');
  if (index < 0) return { problem: `expected ${listenExample}, got ${got}: no port` };
  const rawHost = text.slice(0, index);
  const rawPort = text.slice(index + 1);
  if (!/^\d{1,5}$/.test(rawPort)) return { problem: `expected ${listenExample}, got ${got}: the port is not a number` };
  const port = Number(rawPort);
  if (port > 65_535) return { problem: `expected a port from 0 to 65535, got ${port} in ${got}` };
  const bracketed = /^\[([0-9a-fA-F:.]+)\]$/.exec(rawHost);
  const host = bracketed ? bracketed[1]! : rawHost;
  if (!bracketed && host.includes(':')) return { problem: `expected ${listenExample}, got ${got}: put an IPv6 host in brackets` };
  if (/[\s/[\]]/.test(host)) return { problem: `expected ${listenExample}, got ${got}: not a host name or address` };
  return { host: host === '' ? '127.0.0.1' : host, port };
}
