import * as z from 'zod';
import { parseDuration } from '../core/duration.js';
import { boundedNumber, duration, expecting } from '../spec/wire-values.js';
import { defaultGatePolicy, type GateConfig, type GatePolicy } from './gate-policy.js';

const day = 86_400;

const policyShape = {
  minBudgetRemaining: boundedNumber('a percent of the error budget from 0 to 100', (v) => v >= 0 && v <= 100).optional(),
  denyWhenPaging: z.boolean({ error: expecting('true or false') }).optional(),
  maxBurnRate: z
    .strictObject({
      window: duration({ min: 60, max: 30 * day }),
      value: boundedNumber('a burn rate above 0, e.g. 2', (v) => v > 0 && Number.isFinite(v)),
    }, { error: expecting('a mapping with window and value, e.g. {window: 1h, value: 2}') })
    .optional(),
  maxEvaluationAge: duration({ min: 10, max: 7 * day }).optional(),
};

const policy = z.strictObject(policyShape, { error: expecting('a gate policy: minBudgetRemaining, denyWhenPaging, maxBurnRate, maxEvaluationAge') });

/** The `gate` key of burnrate.yaml's top level; spread into the config schema's shape. */
export const gateSchema = {
  gate: z
    .strictObject(
      {
        policy: policy.optional(),
        slos: z.record(z.string().min(1), policy, { error: expecting('a mapping from SLO name to policy fields') }).optional(),
      },
      { error: expecting('a mapping with policy and slos') },
    )
    .optional(),
};

export type GateWire = z.infer<typeof gateSchema.gate>;
type PolicyWire = z.infer<typeof policy>;

function toPartialPolicy(wire: PolicyWire): Partial<GatePolicy> {
  return {
    ...(wire.minBudgetRemaining !== undefined && { minBudgetRemaining: wire.minBudgetRemaining }),
    ...(wire.denyWhenPaging !== undefined && { denyWhenPaging: wire.denyWhenPaging }),
    ...(wire.maxBurnRate !== undefined && { maxBurnRate: { window: parseDuration(wire.maxBurnRate.window) ?? 3600, value: wire.maxBurnRate.value } }),
    ...(wire.maxEvaluationAge !== undefined && { maxEvaluationAge: parseDuration(wire.maxEvaluationAge) ?? defaultGatePolicy.maxEvaluationAge }),
  };
}

/** Maps the validated `gate` section to the model (durations in seconds); the defaults when it is absent. */
export function toGateConfig(wire: GateWire): GateConfig {
  const slos: Record<string, Partial<GatePolicy>> = {};
  for (const [name, fields] of Object.entries(wire?.slos ?? {})) slos[name] = toPartialPolicy(fields);
  return { policy: { ...defaultGatePolicy, ...toPartialPolicy(wire?.policy ?? {}) }, slos };
}
