import * as z from 'zod';
import { duration, durationSeconds, expecting } from '../spec/wire-values.js';

/**
 * Limits of the daemon's HTTP server, in milliseconds: a client that trickles its headers or body, or holds a
 * connection idle, is cut off, and the number of open connections is capped below the process's file limit.
 */
export interface HttpLimits {
  /** Open connections at most; more are closed at once. */
  maxConnections: number;
  /** Time to receive the headers of a request. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** A connection with no traffic at all for this long is closed. */
  idleTimeoutMs: number;
  /** A kept-alive connection between requests waits this long for the next. */
  keepAliveTimeoutMs: number;
  /** Requests on one kept-alive connection before the server closes it. */
  maxRequestsPerSocket: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxConnections: 512,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1000,
};

/** The `server:` keys beside `listen` (wire form). */
export const serverLimitsShape = {
  maxConnections: z.int({ error: expecting('a whole number from 1 to 100000') }).min(1).max(100_000).optional(),
  headersTimeout: duration({ min: 1, max: 600 }).optional(),
  requestTimeout: duration({ min: 1, max: 3600 }).optional(),
  idleTimeout: duration({ min: 1, max: 3600 }).optional(),
  keepAliveTimeout: duration({ min: 1, max: 600 }).optional(),
  maxRequestsPerSocket: z.int({ error: expecting('a whole number from 1 to 1000000') }).min(1).max(1_000_000).optional(),
};

type Wire = { [K in keyof typeof serverLimitsShape]?: z.output<(typeof serverLimitsShape)[K]> };

/** The limits from `server:` with the defaults filled in; the request timeout is never shorter than the headers'. */
export function serverLimits(wire: Wire | undefined): HttpLimits {
  const ms = (value: string | undefined, fallback: number) => (value === undefined ? fallback : durationSeconds(value) * 1000);
  const headersTimeoutMs = ms(wire?.headersTimeout, defaultHttpLimits.headersTimeoutMs);
  return {
    maxConnections: wire?.maxConnections ?? defaultHttpLimits.maxConnections,
    headersTimeoutMs,
    requestTimeoutMs: Math.max(ms(wire?.requestTimeout, defaultHttpLimits.requestTimeoutMs), headersTimeoutMs),
    idleTimeoutMs: ms(wire?.idleTimeout, defaultHttpLimits.idleTimeoutMs),
    keepAliveTimeoutMs: ms(wire?.keepAliveTimeout, defaultHttpLimits.keepAliveTimeoutMs),
    maxRequestsPerSocket: wire?.maxRequestsPerSocket ?? defaultHttpLimits.maxRequestsPerSocket,
  };
}
