import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback server that can go down (connection refused, open connections cut, delayed answers dropped) and come
 * back on the same port, as a receiver does in an outage. The local receivers share it.
 */
export interface RestartableServer {
  /** The port, once listening. */
  port(): number;
  /** Runs `answer` after `ms` unless the server stops first. */
  later(ms: number, answer: () => void): void;
  /** Listens (again) on the same port: a free one the first time. */
  listen(): Promise<void>;
  /** Closes the port, cuts every open connection and drops delayed answers. */
  stop(): Promise<void>;
}

export function restartable(server: Server): RestartableServer {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let port = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    port: () => port,
    later(ms, answer) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, ms);
      timers.add(timer);
    },
    listen: () =>
      new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', fail);
          port = (server.address() as AddressInfo).port;
          ok();
        });
      }),
    stop: () =>
      new Promise<void>((ok) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return ok();
        server.close(() => ok());
      }),
  };
}
