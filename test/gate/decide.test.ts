import { describe, expect, it } from 'vitest';
import { decideGate, type GateSloInput } from '../../src/gate/decide.js';
import type { GateOverride } from '../../src/gate/gate-override.js';
import { defaultGateConfig, type GateConfig } from '../../src/gate/gate-policy.js';
import { openDatabase } from '../../src/store/database.js';
import { EvaluationStore } from '../../src/engine/evaluation-store.js';
import { AlertStore } from '../../src/alerting/alert-store.js';
import { testSlo } from '../support/slo-fixture.js';
import { evaluation, firePage, t0, type Shape } from './gate-fixture.js';

const availability = testSlo({ name: 'checkout-availability', service: 'checkout' });
const latency = testSlo({ name: 'checkout-latency', service: 'checkout' });

interface SloSetup {
  /** Seconds before t0 the latest evaluation ran; absent for none. */
  age?: number;
  shape?: Shape;
  pageSince?: number;
}

/** Stores the setups through the real stores, then reads them back as the gate does. */
function inputs(setups: Record<string, SloSetup>): GateSloInput[] {
  const db = openDatabase(':memory:');
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const result = [availability, latency].map((slo) => {
    const setup = setups[slo.name] ?? {};
    if (setup.age !== undefined) store.recordCycle([evaluation(slo, t0 - setup.age, setup.shape)]);
    if (setup.pageSince !== undefined) firePage(db, slo, setup.pageSince);
    return { slo, latest: store.latest(slo.name), alerts: [...alerts.forSlo(slo.name).values()] };
  });
  db.close();
  return result;
}

const override = (fields: Partial<GateOverride> = {}): GateOverride => ({
  id: 'o-1',
  service: 'checkout',
  slo: null,
  reason: 'hotfix for INC-42',
  author: 'ana',
  actor: null,
  createdAt: t0 - 600,
  expiresAt: t0 + 3000,
  ...fields,
});

const fresh = (shape: Shape = {}): SloSetup => ({ age: 30, shape });
const healthy = { 'checkout-availability': fresh(), 'checkout-latency': fresh() };
const withPolicy = (policy: Partial<GateConfig['policy']>, slos: GateConfig['slos'] = {}): GateConfig => ({ policy: { ...defaultGateConfig.policy, ...policy }, slos });

interface Case {
  setups: Record<string, SloSetup>;
  config?: GateConfig;
  overrides?: GateOverride[];
  verdict: 'allow' | 'deny' | 'unknown';
  overridden?: boolean;
  reasons: RegExp[];
}

const cases: Record<string, Case> = {
  'both SLOs fresh, budget left and no page: allow with no reasons': { setups: healthy, verdict: 'allow', reasons: [] },
  'an overspent budget is below the default 0% minimum: deny': {
    setups: { ...healthy, 'checkout-availability': fresh({ budgetLeft: -0.25 }) },
    verdict: 'deny',
    reasons: [/^checkout-availability: budget -25% left, below the 0% minimum$/],
  },
  'budget 4.2% left under a 10% minimum: deny': {
    setups: { ...healthy, 'checkout-latency': fresh({ budgetLeft: 0.042 }) },
    config: withPolicy({ minBudgetRemaining: 10 }),
    verdict: 'deny',
    reasons: [/^checkout-latency: budget 4\.2% left, below the 10% minimum$/],
  },
  'a budget just under the minimum never reads as the minimum itself: 9.96% below 10%': {
    setups: { ...healthy, 'checkout-latency': fresh({ budgetLeft: 0.0996 }) },
    config: withPolicy({ minBudgetRemaining: 10 }),
    verdict: 'deny',
    reasons: [/^checkout-latency: budget 9\.96% left, below the 10% minimum$/],
  },
  'a firing page alert: deny, naming when it fired': {
    setups: { ...healthy, 'checkout-availability': { ...fresh(), pageSince: t0 - 900 } },
    verdict: 'deny',
    reasons: [/^checkout-availability: page alert firing since 2026-11-02T11:45:00Z$/],
  },
  'a firing page alert with denyWhenPaging off: allow': {
    setups: { ...healthy, 'checkout-availability': { ...fresh(), pageSince: t0 - 900 } },
    config: withPolicy({ denyWhenPaging: false }),
    verdict: 'allow',
    reasons: [],
  },
  'a 1h burn of 3.1× above a 2× maximum: deny': {
    setups: { ...healthy, 'checkout-availability': fresh({ burn: 3.1 }) },
    config: withPolicy({ maxBurnRate: { window: 3600, value: 2 } }),
    verdict: 'deny',
    reasons: [/^checkout-availability: 1h burn rate 3\.1× above 2×$/],
  },
  'a burn of 1.5× under a 2× maximum: allow': {
    setups: { ...healthy, 'checkout-availability': fresh({ burn: 1.5 }) },
    config: withPolicy({ maxBurnRate: { window: 3600, value: 2 } }),
    verdict: 'allow',
    reasons: [],
  },
  'a per-SLO minimum of 10% denies at 8% left where the default 0% allows the other SLO': {
    setups: { 'checkout-availability': fresh({ budgetLeft: 0.08 }), 'checkout-latency': fresh({ budgetLeft: 0.08 }) },
    config: withPolicy({}, { 'checkout-availability': { minBudgetRemaining: 10 } }),
    verdict: 'deny',
    reasons: [/^checkout-availability: budget 8% left, below the 10% minimum$/],
  },
  'a latest evaluation older than maxEvaluationAge: unknown': {
    setups: { ...healthy, 'checkout-latency': { age: 720 } },
    verdict: 'unknown',
    reasons: [/^checkout-latency: latest evaluation is 12m old \(2026-11-02T11:48:00Z\), older than the 5m limit$/],
  },
  'no stored evaluation: unknown': {
    setups: { 'checkout-availability': fresh() },
    verdict: 'unknown',
    reasons: [/^checkout-latency: no stored evaluation/],
  },
  'the backend down in the latest cycle: unknown': {
    setups: { ...healthy, 'checkout-availability': fresh({ failure: 'connect ECONNREFUSED 127.0.0.1:9090' }) },
    verdict: 'unknown',
    reasons: [/^checkout-availability: backend error at 2026-11-02T11:59:30Z: connect ECONNREFUSED 127\.0\.0\.1:9090$/],
  },
  'no events in the SLO window: unknown': {
    setups: { ...healthy, 'checkout-availability': fresh({ noData: true }) },
    verdict: 'unknown',
    reasons: [/^checkout-availability: insufficient data/],
  },
  'a deny beside an SLO that cannot be judged: deny': {
    setups: { 'checkout-availability': fresh({ budgetLeft: -0.1 }) },
    verdict: 'deny',
    reasons: [/^checkout-availability: budget -10% left/, /^checkout-latency: no stored evaluation/],
  },
  'an open page still denies when the backend is down': {
    setups: { 'checkout-availability': { ...fresh({ failure: 'timeout' }), pageSince: t0 - 60 }, 'checkout-latency': fresh() },
    verdict: 'deny',
    reasons: [/^checkout-availability: page alert firing since/, /^checkout-availability: backend error/],
  },
  'an active override of the service turns a deny into allow and keeps the reasons': {
    setups: { ...healthy, 'checkout-availability': fresh({ budgetLeft: -0.25 }) },
    overrides: [override()],
    verdict: 'allow',
    overridden: true,
    reasons: [/^checkout-availability: budget -25% left/, /^checkout-availability: overridden by ana until 2026-11-02T12:50:00Z: hotfix for INC-42$/],
  },
  'an override recorded by a token other than its claimed author names both': {
    setups: { ...healthy, 'checkout-availability': fresh({ budgetLeft: -0.25 }) },
    overrides: [override({ actor: 'ci' })],
    verdict: 'allow',
    overridden: true,
    reasons: [/^checkout-availability: budget -25% left/, /^checkout-availability: overridden by ana \(recorded by ci\) until 2026-11-02T12:50:00Z: hotfix for INC-42$/],
  },
  'an override of the denying SLO by name applies': {
    setups: { ...healthy, 'checkout-availability': { ...fresh(), pageSince: t0 - 60 } },
    overrides: [override({ service: null, slo: 'checkout-availability' })],
    verdict: 'allow',
    overridden: true,
    reasons: [/page alert firing/, /overridden by ana/],
  },
  'an expired override does not apply': {
    setups: { ...healthy, 'checkout-availability': fresh({ budgetLeft: -0.25 }) },
    overrides: [override({ expiresAt: t0 - 1 })],
    verdict: 'deny',
    reasons: [/budget -25% left/],
  },
  'an override of another SLO does not apply': {
    setups: { ...healthy, 'checkout-availability': fresh({ budgetLeft: -0.25 }) },
    overrides: [override({ service: null, slo: 'checkout-latency' })],
    verdict: 'deny',
    reasons: [/budget -25% left/],
  },
  'an override does not turn unknown into allow': {
    setups: { 'checkout-availability': fresh() },
    overrides: [override()],
    verdict: 'unknown',
    reasons: [/no stored evaluation/],
  },
};

describe('decideGate', () => {
  for (const [sentence, c] of Object.entries(cases)) {
    it(sentence, () => {
      const answer = decideGate({ request: { service: 'checkout' }, slos: inputs(c.setups), overrides: c.overrides ?? [] }, c.config ?? defaultGateConfig, t0);
      expect(answer.verdict).toBe(c.verdict);
      expect(answer.overridden).toBe(c.overridden ?? false);
      expect(answer.reasons).toHaveLength(c.reasons.length);
      c.reasons.forEach((pattern, i) => expect(answer.reasons[i]).toMatch(pattern));
      if (c.overridden) expect(answer.override).toMatchObject({ id: 'o-1', author: 'ana', expiresAt: '2026-11-02T12:50:00Z' });
    });
  }

  it('reports each SLO budget in percent, burn rates by window, the policy that judged it', () => {
    const answer = decideGate(
      { request: { service: 'checkout' }, slos: inputs({ ...healthy, 'checkout-availability': fresh({ budgetLeft: 0.042, burn: 3.1 }) }), overrides: [] },
      withPolicy({}, { 'checkout-availability': { minBudgetRemaining: 10 } }),
      t0,
    );
    expect(answer.slos[0]).toEqual({
      slo: 'checkout-availability',
      service: 'checkout',
      verdict: 'deny',
      overridden: false,
      reasons: ['budget 4.2% left, below the 10% minimum'],
      status: 'ok',
      evaluatedAt: '2026-11-02T11:59:30Z',
      budgetRemainingPercent: 4.2,
      budgetCoverage: 1,
      budgetCovers: null,
      burnRates: { '5m': 3.1, '30m': 3.1, '1h': 3.1, '2h': 3.1, '6h': 3.1, '1d': 3.1, '3d': 3.1 },
      pageFiringSince: null,
      lastDeploy: null,
      policy: { minBudgetRemaining: 10, denyWhenPaging: true, maxBurnRate: null, maxEvaluationAge: '5m' },
      overrideId: null,
    });
    expect(answer.slos[1]!.policy.minBudgetRemaining).toBe(0);
  });

  it('a budget over less history than the window says what it covers, in the reason and the answer', () => {
    const answer = decideGate(
      { request: { service: 'checkout' }, slos: inputs({ ...healthy, 'checkout-availability': fresh({ budgetLeft: -100.4, budgetCoverage: 7800 / (30 * 86_400) }) }), overrides: [] },
      withPolicy({}, { 'checkout-availability': { minBudgetRemaining: 10 } }),
      t0,
    );
    expect(answer.slos[0]!.reasons).toEqual(['budget -10040% left over 2h 10m of 30d, below the 10% minimum']);
    expect(answer.slos[0]!.budgetCovers).toBe('over 2h 10m of 30d');
    expect(answer.slos[0]!.budgetCoverage).toBeCloseTo(0.003, 3);
  });
});
