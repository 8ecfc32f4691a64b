import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHttpServer {
  url: string;
  /** Form bodies of the requests received so far. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

/** A loopback HTTP server with a scripted handler, for the failure modes a real Prometheus will not produce. */
export async function startFakeHttpServer(handler: (request: IncomingMessage, response: ServerResponse, form: URLSearchParams) => void): Promise<FakeHttpServer> {
  const requests: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body || (request.url ?? '').split('?')[1] || '');
      requests.push(form);
      handler(request, response, form);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
