import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy that holds every chunk `oneWayMs` in each direction, like a network with that much
 * latency. A request the client wrote is still delivered when the client dies before the answer (the receiver
 * acts on it), and the answer to a client that died is dropped: exactly the window in which a crash leaves
 * the sender not knowing whether its message arrived. Used for both the Slack API and SMTP.
 */
export interface LatencyProxy {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: { host: string; port: number }, oneWayMs: number): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (job: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      job();
    }, oneWayMs);
    timers.add(timer);
  };
  // Chunks and the close are delayed alike, so a close never overtakes data sent before it.
  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => later(() => void (to.destroyed ? undefined : to.write(chunk))));
    from.on('close', () => later(() => to.end()));
    from.on('error', () => undefined);
  };

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
