import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/deploys/deploy.js';
import { deployCosts } from '../../src/engine/deploy-costs.js';
import { MemoryLedger } from '../../src/ledger/memory-ledger.js';
import type { BucketAppend } from '../../src/ledger/bucket-ledger.js';

const minute = 60;
const day = 86_400;
const slo = { name: 'checkout-availability', objective: 99.9, window: day };

const deploy = (id: string, finishedAt: number): DeployEvent => ({
  id,
  service: 'checkout',
  environment: null,
  version: id,
  commit: null,
  repositoryUrl: null,
  author: null,
  startedAt: null,
  finishedAt,
  url: null,
  rollbackUrl: null,
  summary: null,
  tags: [],
  source: 'api',
});

/** One-minute buckets from `from` to `to`: 1,000 events each, `errorsAt(end)` of them errors. */
function ledgerWith(from: number, to: number, errorsAt: (end: number) => number): MemoryLedger {
  const ledger = new MemoryLedger();
  const buckets: BucketAppend[] = [];
  for (let end = from + minute; end <= to; end += minute) buckets.push({ end, width: minute, errors: errorsAt(end), total: 1000 });
  ledger.append(slo.name, buckets);
  return ledger;
}

describe('deployCosts', () => {
  const now = 10 * day;
  // A day of traffic at 1,000 events a minute: 1,440,000 events, a budget of 1,440 errors.
  const ledger = ledgerWith(now - 2 * day, now, (end) => (end > now - 3600 ? 4 : end > now - 5 * 3600 ? 1 : 0));

  it('charges each deploy the errors counted while it was live, in percent of the window budget', () => {
    // v3 live for the last hour (240 errors); v2 the four hours before (240 errors); v1 from the window's start.
    const costs = deployCosts(slo, [deploy('v3', now - 3600), deploy('v2', now - 5 * 3600), deploy('v1', now - 2 * day + 600)], ledger, now, minute);
    expect(costs.map((c) => [c.deploy.id, c.live, c.errors, c.total])).toEqual([
      ['v3', true, 240, 60_000],
      ['v2', false, 240, 240_000],
      ['v1', false, 0, 1_440_000 - 300_000],
    ]);
    expect(costs[0]!.budgetSpentPercent).toBeCloseTo((240 / 1440) * 100, 10);
    expect(costs[1]!.budgetSpentPercent).toBeCloseTo((240 / 1440) * 100, 10);
    expect(costs[2]).toMatchObject({ from: now - day, to: now - 5 * 3600, budgetSpentPercent: 0 });
  });

  it('adds up to the budget spent over the window when the oldest deploy predates it', () => {
    const costs = deployCosts(slo, [deploy('v3', now - 3600), deploy('v2', now - 5 * 3600), deploy('v1', now - 3 * day)], ledger, now, minute);
    const spent = costs.reduce((sum, c) => sum + c.budgetSpentPercent!, 0);
    const window = ledger.windowCounts(slo.name, now, [day]).get(day)!;
    expect(spent).toBeCloseTo((window.errors / (0.001 * window.total)) * 100, 9);
    expect(costs).toHaveLength(3);
  });

  it('charges the bucket a deploy lands in to that deploy, and skips deploys ahead of now', () => {
    const costs = deployCosts(slo, [deploy('future', now + 120), deploy('v2', now - 3600 - 30)], ledger, now, minute);
    expect(costs[0]).toMatchObject({ deploy: { id: 'v2' }, live: true, errors: 4 * 60 + 1, total: 61_000 });
  });

  it('stops at the deploy live when the window began', () => {
    const costs = deployCosts(slo, [deploy('v2', now - 3600), deploy('v1', now - 3 * day), deploy('v0', now - 4 * day)], ledger, now, minute);
    expect(costs.map((c) => c.deploy.id)).toEqual(['v2', 'v1']);
  });

  it('has no percentage without events in the window', () => {
    const empty = new MemoryLedger();
    expect(deployCosts(slo, [deploy('v1', now - 60)], empty, now, minute)[0]).toMatchObject({ errors: 0, total: 0, budgetSpentPercent: null });
  });
});
