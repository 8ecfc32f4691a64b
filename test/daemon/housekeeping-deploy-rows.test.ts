import { describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { Housekeeping } from '../../src/daemon/housekeeping.js';
import { DeployStore } from '../../src/deploys/deploy-store.js';
import { deployCosts } from '../../src/engine/deploy-costs.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { evaluateSlo } from '../../src/engine/slo-evaluation.js';
import { GateLog } from '../../src/gate/gate-log.js';
import { SqliteLedger } from '../../src/ledger/sqlite-ledger.js';
import { silentLogger } from '../../src/log.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { openDatabase } from '../../src/store/database.js';
import { testSlo } from '../support/slo-fixture.js';

const minute = 60;
const hour = 3600;
const now = Date.parse('2026-11-10T12:00:00Z') / 1000;

describe('housekeeping and the deploys', () => {
  it("thins the ledger to hours past a day but keeps the row where each deploy landed: its cost stays exact", async () => {
    const db = openDatabase(':memory:');
    const slo = testSlo({ name: 'checkout-availability', service: 'checkout' });
    const ledger = new SqliteLedger(db);
    const deploys = new DeployStore(db);
    const evaluations = new EvaluationStore(db);
    // Two days of minute buckets: 50 errors a minute while the bad v2 was live (from 30 h to 29 h 20 m ago), 1 otherwise.
    const badFrom = now - 30 * hour - 25;
    const rollbackAt = now - 29 * hour - 20 * minute - 40;
    const errorsAt = (end: number) => (end > badFrom && end <= rollbackAt + minute ? 50 : 1);
    const buckets = Array.from({ length: 2 * 1440 }, (_, i) => {
      const end = now - 2 * 86_400 + (i + 1) * minute;
      return { end, width: minute, errors: errorsAt(end), total: 1000 };
    });
    ledger.reset(slo.name, 'test');
    ledger.append(slo.name, buckets);
    /** The errors of the buckets ending in (from, to], each edge at the bucket it falls in. */
    const truth = (from: number, to: number) => buckets.filter((b) => b.end > Math.floor(from / minute) * minute && b.end <= Math.floor(to / minute) * minute).reduce((sum, b) => sum + b.errors, 0);
    deploys.record({ service: 'checkout', version: 'v1', finishedAt: now - 3 * 86_400 }, now);
    deploys.record({ service: 'checkout', version: 'v2', finishedAt: badFrom }, now);
    deploys.record({ service: 'checkout', version: 'v3', finishedAt: rollbackAt }, now);
    evaluations.recordCycle([evaluateSlo(slo, now, new Map(), { errors: 0, total: 1, coverage: 1 })]);
    const costs = () => deployCosts(slo, deploys.list({ service: 'checkout', to: now, limit: 5 }), ledger, now, minute).map((c) => [c.deploy.version, c.errors]);
    const exact = costs();

    const housekeeping = new Housekeeping({
      slos: [slo],
      ledger,
      deploys,
      settings: { bucket: minute, fineSpan: 86_400, coarseBucket: hour },
      history: { retention: 30 * 86_400, fullResolution: 2 * 86_400, downsampleTo: hour },
      evaluations,
      alerts: new AlertStore(db),
      notifications: new NotifyStore(db),
      retention: { embedded: undefined, gateLog: new GateLog(db), samplesFor: 86_400, gateLogFor: 86_400 },
      log: silentLogger,
    });
    expect(await housekeeping.runIfDue(now)).toBe(true);
    const rows = (db.prepare('SELECT count(*) AS n FROM ledger_rows').get() as { n: number }).n;
    // The day past the fine span kept its 24 hourly rows and the two deploys' rows only.
    expect(rows).toBeLessThan(1440 + 24 + 4);
    expect(costs()).toEqual(exact);
    // Each deploy is charged what happened while it was live, to the bucket: v2 all of its bad minutes.
    expect(exact).toEqual([
      ['v3', truth(rollbackAt, now)],
      ['v2', truth(badFrom, rollbackAt)],
      ['v1', truth(now - 86_400 * 2, badFrom)],
    ]);
    expect(truth(badFrom, rollbackAt)).toBe(40 * 50);

    // A deploy recorded afterwards, landing 20 m 30 s into the outage: its row was thinned away, so the outage's
    // hours are split between v2 and it in time, marked inexact; v2 keeps a share instead of nothing.
    const lateAt = badFrom + 20 * minute + 30;
    deploys.record({ service: 'checkout', version: 'late', finishedAt: lateAt }, now);
    const late = deployCosts(slo, deploys.list({ service: 'checkout', to: now, limit: 5 }), ledger, now, minute);
    const byVersion = new Map(late.map((c) => [c.deploy.version, c]));
    expect(byVersion.get('v2')).toMatchObject({ exact: false });
    expect(byVersion.get('late')).toMatchObject({ exact: false });
    expect(byVersion.get('v3')).toMatchObject({ exact: true, errors: truth(rollbackAt, now) });
    // Both sides of the split got a share of the hour the outage began in; together what v2 alone had before.
    expect(byVersion.get('v2')!.errors).toBeGreaterThan(0);
    expect(byVersion.get('late')!.errors).toBeGreaterThan(0);
    expect(byVersion.get('v2')!.errors + byVersion.get('late')!.errors).toBeCloseTo(truth(badFrom, rollbackAt), 6);
  });
});
