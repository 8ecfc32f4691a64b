import * as z from 'zod';
import { formatDuration, parseDuration } from '../core/duration.js';
import { duration, expecting } from '../spec/wire-values.js';

/** A recorded exception: deploys of a service (or one SLO) are allowed despite the policy until it expires. */
export interface GateOverride {
  id: string;
  service: string | null;
  slo: string | null;
  reason: string;
  /** Who the override says it is from (the client may claim anyone). */
  author: string;
  /** Who recorded it: the API token's name, or `cli:<user>`; null for overrides recorded before this was kept. */
  actor: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface GateOverrideDraft {
  service: string | null;
  slo: string | null;
  reason: string;
  author: string;
  /** Seconds the override lasts. */
  lasts: number;
}

export const defaultOverrideLasts = 3600;
const maxOverrideLasts = 7 * 86_400;

const text = (what: string, max: number) =>
  z.string({ error: expecting(what) }).trim().min(1, { error: `expected ${what}, got an empty string` }).max(max, { error: `expected ${what} of at most ${max} characters` });

const overrideInput = z
  .strictObject({
    service: text('a service name', 200).optional(),
    slo: text('an SLO name', 200).optional(),
    reason: text('why the gate is overridden, e.g. "hotfix for INC-123"', 2000),
    author: text('who overrides the gate', 200),
    for: duration({ min: 60, max: maxOverrideLasts }).optional(),
  })
  .refine((input) => (input.service === undefined) !== (input.slo === undefined), { error: 'expected exactly one of service or slo' });

export interface InputIssue {
  path: string;
  message: string;
}

export type OverrideInputResult = { ok: true; draft: GateOverrideDraft } | { ok: false; issues: InputIssue[] };

/** Validates an override request from the API or the CLI. */
export function parseOverrideInput(raw: unknown): OverrideInputResult {
  const result = overrideInput.safeParse(raw);
  if (!result.success) {
    return { ok: false, issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
  }
  const input = result.data;
  return {
    ok: true,
    draft: {
      service: input.service ?? null,
      slo: input.slo ?? null,
      reason: input.reason,
      author: input.author,
      lasts: input.for === undefined ? defaultOverrideLasts : (parseDuration(input.for) ?? defaultOverrideLasts),
    },
  };
}

export const overrideActive = (override: GateOverride, now: number): boolean => override.createdAt <= now && now < override.expiresAt;

/** What an override covers, as people write it: `service checkout` or `SLO checkout-availability`. */
export const overrideTarget = (override: Pick<GateOverride, 'service' | 'slo'>): string =>
  override.slo !== null ? `SLO ${override.slo}` : `service ${override.service ?? '?'}`;

export const describeLasts = (seconds: number): string => formatDuration(seconds);
