import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchemaV1 } from '../../src/config/config-schema.js';
import { defaultHttpLimits, serverLimits, type HttpLimits } from '../../src/config/server-limits.js';
import { apiHarness, closeHarnesses, writeAuth } from '../api/api-harness.js';

const limits: HttpLimits = { maxConnections: 60, headersTimeoutMs: 1000, requestTimeoutMs: 2000, idleTimeoutMs: 10_000, keepAliveTimeoutMs: 1000, maxRequestsPerSocket: 100 };

interface Trickle {
  socket: Socket;
  closed: Promise<string>;
}

const open: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of open.splice(0)) socket.destroy();
  await closeHarnesses();
});

/** A client that sends `head` and then one more byte every 100 ms, forever; `closed` holds what the server answered. */
function trickle(port: number, head: string): Trickle {
  const socket = connect(port, '127.0.0.1');
  open.push(socket);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('connect', () => socket.write(head));
  timers.push(setInterval(() => socket.writable && socket.write('a'), 100));
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
}

async function healthLatency(port: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
  expect(response.status).toBe(200);
  return performance.now() - started;
}

async function listening(options: { limits: HttpLimits }) {
  const h = await apiHarness(options);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  return (h.app.server.address() as { port: number }).port;
}

describe('slow clients are cut off and cannot starve /healthz', () => {
  it('50 connections trickling their headers: /healthz answers quickly meanwhile, each trickler gets a 408 JSON and is closed', async () => {
    const port = await listening({ limits });
    const tricklers = Array.from({ length: 50 }, () => trickle(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '));
    for (let i = 0; i < 5; i++) expect(await healthLatency(port)).toBeLessThan(1000);
    const started = performance.now();
    const answers = await Promise.all(tricklers.map((t) => t.closed));
    // headersTimeout (1 s) plus Node's check interval, on a busy machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('{"error":{"code":"request_timeout","message":"the request took too long to arrive"}}');
    }
    expect(await healthLatency(port)).toBeLessThan(1000);
  });

  it('a body trickled slower than requestTimeout is cut off', async () => {
    const port = await listening({ limits });
    const slow = trickle(port, `POST /api/v1/silences HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${writeAuth.authorization}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"comment":"`);
    expect(await healthLatency(port)).toBeLessThan(1000);
    const answer = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('connections beyond maxConnections are refused at once, and /healthz answers again once the tricklers are cut off', async () => {
    const port = await listening({ limits });
    const tricklers = Array.from({ length: 80 }, () => trickle(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '));
    const deadline = performance.now() + 15_000;
    let answered = false;
    while (!answered && performance.now() < deadline) {
      answered = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
    }
    expect(answered).toBe(true);
    const answers = await Promise.all(tricklers.map((t) => t.closed));
    // Those over the limit were closed without an answer; the others timed out.
    expect(answers.filter((a) => a === '').length).toBeGreaterThanOrEqual(80 - limits.maxConnections);
    expect(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBeGreaterThan(0);
  });
});

describe('server: limits in burnrate.yaml', () => {
  it('defaults when unset, seconds to milliseconds when set, and a request timeout never shorter than the headers timeout', () => {
    expect(serverLimits(undefined)).toEqual(defaultHttpLimits);
    expect(serverLimits({ maxConnections: 100, headersTimeout: '20s', requestTimeout: '5s', idleTimeout: '2m', keepAliveTimeout: '3s', maxRequestsPerSocket: 10 })).toEqual({
      maxConnections: 100,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 20_000,
      idleTimeoutMs: 120_000,
      keepAliveTimeoutMs: 3000,
      maxRequestsPerSocket: 10,
    });
  });

  it('the schema refuses limits out of bounds', () => {
    const server = configSchemaV1.shape.server;
    expect(server.safeParse({ maxConnections: 0 }).success).toBe(false);
    expect(server.safeParse({ headersTimeout: '1h' }).success).toBe(false);
    expect(server.safeParse({ listen: '127.0.0.1:9464', maxConnections: 256, headersTimeout: '10s' }).success).toBe(true);
  });
});
