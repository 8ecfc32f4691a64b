import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createApp, type App } from '../../src/daemon/app.js';
import { silentLogger } from '../../src/log.js';
import { testSlo } from '../support/slo-fixture.js';
import type { IngestCounts } from '../../src/backends/embedded/sample-store.js';

/** The ingest answer: the counts, or on a refusal the error body. */
export type PushAnswer = IngestCounts & { error: { code: string; message: string } };

export interface IngestDaemon {
  app: App;
  clock: ManualClock;
  dir: string;
  url: string;
  push(body: string): Promise<{ status: number; body: PushAnswer }>;
  close(): Promise<void>;
}

/** The daemon's composition root on the embedded store, listening on loopback, with `yaml` as burnrate.yaml. */
export async function ingestDaemon(yaml: string, start: number): Promise<IngestDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-ingest-'));
  writeFileSync(join(dir, 'burnrate.yaml'), yaml);
  const config = loadConfig(join(dir, 'burnrate.yaml'), true, { db: join(dir, 'burnrate.db') }, dir, {});
  const clock = new ManualClock(start);
  const app = createApp(config, [testSlo()], { clock, log: silentLogger, listen: { host: '127.0.0.1', port: 0 }, notifyIntervalMs: 3_600_000 });
  await app.start();
  const url = app.address()!;
  return {
    app,
    clock,
    dir,
    url,
    async push(body) {
      const response = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
      return { status: response.status, body: (await response.json()) as PushAnswer };
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prometheus text for `count` series of one counter, `pod` numbered from `from`, all at `tMs`. */
export function seriesText(count: number, tMs: number, from = 0, metric = 'http_requests_total'): string {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) lines.push(`${metric}{service="checkout",code="200",pod="p${i}"} ${i} ${tMs}`);
  return `${lines.join('\n')}\n`;
}
