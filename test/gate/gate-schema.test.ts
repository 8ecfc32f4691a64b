import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gateSchema, toGateConfig } from '../../src/gate/gate-schema.js';
import { defaultGateConfig, policyFor } from '../../src/gate/gate-policy.js';

// As the config schema spreads it in.
const schema = z.strictObject({ ...gateSchema });

const example = `
gate:
  policy:
    minBudgetRemaining: 0
    denyWhenPaging: true
    maxBurnRate: {window: 1h, value: 2}
    maxEvaluationAge: 5m
  slos:
    checkout-availability: {minBudgetRemaining: 10}
`;

describe('gate schema', () => {
  it('maps the documented example to seconds, with per-SLO fields over the defaults', () => {
    const config = toGateConfig(schema.parse(parse(example)).gate);
    expect(config.policy).toEqual({ minBudgetRemaining: 0, denyWhenPaging: true, maxBurnRate: { window: 3600, value: 2 }, maxEvaluationAge: 300 });
    expect(policyFor(config, 'checkout-availability')).toEqual({ ...config.policy, minBudgetRemaining: 10 });
    expect(policyFor(config, 'search-availability')).toBe(config.policy);
  });

  it('gives the defaults when the section is absent', () => {
    expect(toGateConfig(schema.parse({}).gate)).toEqual(defaultGateConfig);
    expect(defaultGateConfig.policy).toEqual({ minBudgetRemaining: 0, denyWhenPaging: true, maxBurnRate: null, maxEvaluationAge: 300 });
  });

  const bad: Record<string, [string, RegExp]> = {
    'a minimum above 100%': ['gate: {policy: {minBudgetRemaining: 120}}', /expected a percent of the error budget from 0 to 100, got 120/],
    'a burn rate without a window': ['gate: {policy: {maxBurnRate: {value: 2}}}', /required field missing: expected a duration/],
    'a zero burn rate': ['gate: {policy: {maxBurnRate: {window: 1h, value: 0}}}', /expected a burn rate above 0/],
    'an unknown policy field': ['gate: {policy: {minBudget: 5}}', /minBudget/],
    'a malformed age': ['gate: {policy: {maxEvaluationAge: soon}}', /expected a duration/],
    'a per-SLO field that is not a policy field': ['gate: {slos: {checkout-availability: {owner: ana}}}', /owner/],
  };
  for (const [sentence, [yaml, message]] of Object.entries(bad)) {
    it(`rejects ${sentence}`, () => {
      const result = schema.safeParse(parse(yaml));
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error?.issues)).toMatch(message);
    });
  }
});
