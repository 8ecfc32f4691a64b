import { Writable } from 'node:stream';
import type { EmbeddedBackend } from '../backends/embedded/embedded-backend.js';
import { writeScenarioOpenMetrics, type ScenarioOutput } from './write-scenario.js';
import type { ScenarioOptions } from './simulate.js';

/**
 * Feeds OpenMetrics text to the embedded store in pushes of at most `samplesPerPush` samples, each a valid
 * exposition of its own (the family's HELP and TYPE lines repeated, `# EOF` at the end). Series arrive in time
 * order, so cutting them between pushes keeps Prometheus's append rules.
 */
class ChunkedIngest extends Writable {
  private lines: string[] = [];
  private metadata: string[] = [];
  private partial = '';
  rejected = 0;

  constructor(
    private readonly backend: EmbeddedBackend,
    private readonly samplesPerPush: number,
    private readonly now: number,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      const text = this.partial + chunk.toString();
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.take(line);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    try {
      if (this.partial) this.take(this.partial);
      this.ingestBuffered();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private take(line: string): void {
    if (line === '' || line === '# EOF') return;
    if (line.startsWith('# HELP')) {
      this.ingestBuffered();
      this.metadata = [line];
      return;
    }
    if (line.startsWith('#')) {
      this.metadata.push(line);
      return;
    }
    this.lines.push(line);
    if (this.lines.length >= this.samplesPerPush) this.ingestBuffered();
  }

  private ingestBuffered(): void {
    if (this.lines.length === 0) return;
    const text = [...this.metadata, ...this.lines, '# EOF', ''].join('\n');
    this.lines = [];
    this.rejected += this.backend.ingest(text, { format: 'openmetrics', now: this.now }).rejected.total;
  }
}

/** Generates the scenario straight into the embedded store (no file), within the store's per-push limit. */
export async function loadScenario(backend: EmbeddedBackend, options: ScenarioOptions & { samplesPerPush: number; now: number }): Promise<ScenarioOutput & { rejected: number }> {
  const sink = new ChunkedIngest(backend, options.samplesPerPush, options.now);
  const finished = new Promise<void>((resolve, reject) => {
    sink.once('finish', resolve);
    sink.once('error', reject);
  });
  const output = await writeScenarioOpenMetrics(sink, options);
  sink.end();
  await finished;
  return { ...output, rejected: sink.rejected };
}
