import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { createMemoryBackend } from '../../src/backends/memory-backend.js';
import { Evaluator } from '../../src/daemon/evaluator.js';
import { bucketMethod } from '../../src/engine/counter-buckets.js';
import { runCycle } from '../../src/engine/evaluation-cycle.js';
import { MemoryLedger } from '../../src/ledger/memory-ledger.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { createLogger } from '../../src/log.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { testSlo } from '../support/slo-fixture.js';

const settings = { bucket: 60, coarseBucket: 3600, fineSpan: 86_400, lateness: 0 };
const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;

const maxIndicator = {
  numeratorKind: 'errors' as const,
  numerator: { template: 'max(rate(http_requests_total{code=~"5.."}[{{window}}]))', unit: 'per_second' as const },
  total: { template: 'sum(rate(http_requests_total[{{window}}]))', unit: 'per_second' as const },
};

describe('how a budget is computed, and saying so when it cannot be exact', () => {
  it('exact from the raw samples of a backend that has them, for queries burnrate evaluates itself', () => {
    const embedded = createEmbeddedBackend(new Database(':memory:'));
    expect(bucketMethod(testSlo().indicator, embedded, 60)).toEqual({ exact: true });
  });

  it('approximate, with the reason, for a backend without raw samples or a query outside the evaluated subset', () => {
    expect(bucketMethod(testSlo().indicator, createMemoryBackend(), 60)).toEqual({ exact: false, reason: 'the memory backend gives no raw samples' });
    const embedded = createEmbeddedBackend(new Database(':memory:'));
    const method = bucketMethod(maxIndicator, embedded, 60);
    expect(method.exact).toBe(false);
    expect(method.exact === false && method.reason).toMatch(/^the max aggregation is outside the embedded store's PromQL subset/);
  });

  it('the evaluation carries it, and the daemon warns once per SLO from its first cycle', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const slos = [testSlo({ name: 'a' }), testSlo({ name: 'b' })];
    const db = new Database(':memory:');
    const parts = { slos, backend: createMemoryBackend(), ledger: new SqliteLedger(db), settings, concurrency: 2 };
    const history = { retention: 86_400, fullResolution: 86_400, downsampleTo: 3600 };
    const evaluator = new Evaluator(parts, new EvaluationStore(db), { queryDelay: 0, maxCatchUpSteps: 10, history }, createLogger('warn', sink));
    const first = await evaluator.evaluateDue(t0);
    await evaluator.evaluateDue(t0 + 60);
    expect(first?.evaluations.map((e) => [e.budget.exact, e.budget.approximateBecause])).toEqual([
      [false, 'the memory backend gives no raw samples'],
      [false, 'the memory backend gives no raw samples'],
    ]);
    const warnings = lines.map((line) => JSON.parse(line) as { msg: string; slo: string }).filter((l) => l.msg.startsWith('error budget approximate'));
    expect(warnings.map((w) => w.slo).sort()).toEqual(['a', 'b']);
  });

  it('eval says so beneath its table', async () => {
    const cycle = await runCycle({ slos: [testSlo()], backend: createMemoryBackend(), ledger: new MemoryLedger(), settings, concurrency: 1 }, t0);
    const { evaluationTable } = await import('../../src/cli/format/evaluation-view.js');
    expect(evaluationTable(cycle.evaluations)).toContain('note: checkout-availability: budget approximate (per-bucket increase()): the memory backend gives no raw samples');
  });
});
