import * as z from 'zod';
import { boundedNumber, dnsLabel, duration, expecting, holdDuration } from '../spec/wire-values.js';

/**
 * The `burnrate/v1` wire format, as written in SLO files. Strict: unknown fields are errors.
 * Only single-field rules live here; cross-field rules are in domain-rules.ts.
 */
export const apiVersion = 'burnrate/v1';
export const kind = 'SLO';

const minute = 60;
const day = 86_400;

/** Bounds of the SLO's rolling compliance window. */
export const sloWindowBounds = { min: day, max: 365 * day };
/** Bounds of every long and short alert window. */
export const alertWindowBounds = { min: minute, max: 365 * day };
/** Bounds of a tier's `for`. */
export const holdBounds = { min: 1, max: day };

export const reservedLabels = ['slo', 'service', 'severity'] as const;
export const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function strict<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `allowed fields: ${Object.keys(shape).join(', ')}`;
      return expecting(what)(issue);
    },
  });
}

const labels = z
  .record(z.string(), z.string({ error: (issue) => `expected a string label value, got ${String(issue.input)}: quote it` }), {
    error: expecting('a mapping of label names to values'),
  })
  .superRefine((value, ctx) => {
    for (const name of Object.keys(value)) {
      if ((reservedLabels as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `label name "${name}" is reserved (burnrate sets ${reservedLabels.join(', ')} itself)`,
          params: { at: 'key' },
        });
      } else if (!labelNamePattern.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `expected a label name matching ${labelNamePattern.source}, got "${name}"`,
          params: { at: 'key' },
        });
      }
    }
  });

const metadata = strict(
  {
    name: dnsLabel,
    service: dnsLabel,
    labels: labels.optional(),
  },
  'a mapping with name, service and optional labels',
);

const query = z.string({ error: expecting('a PromQL query template with {{window}}') });

const ratio = strict(
  {
    errors: query.optional(),
    good: query.optional(),
    total: query,
  },
  'a mapping with errors (or good) and total',
).superRefine((value, ctx) => {
  const given = [value.errors, value.good].filter((q) => q !== undefined).length;
  if (given !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `expected exactly one of errors or good, got ${given === 0 ? 'neither' : 'both'}`,
    });
  }
});

const indicator = strict({ ratio }, 'a mapping with ratio');

const objective = boundedNumber(
  'a percentage between 0 and 100 (exclusive)',
  (value) => value > 0 && value < 100,
  (value) => (value === 100 ? 'an objective of 100% leaves no error budget' : undefined),
);

const tier = strict(
  {
    runbook: z.string({ error: expecting('a runbook file name relative to the runbook directory') }),
    for: holdDuration(holdBounds).optional(),
  },
  'a mapping with runbook and optional for',
);

export const windowRow = strict(
  {
    severity: z.enum(['page', 'ticket'], { error: expecting('page or ticket') }),
    long: duration(alertWindowBounds),
    short: duration(alertWindowBounds).optional(),
    budgetPercent: boundedNumber('a percentage of the error budget in (0, 100]', (value) => value > 0 && value <= 100),
  },
  'a mapping with severity, long, optional short and budgetPercent',
);

const alerting = strict(
  {
    minEvents: boundedNumber('a whole number of events, 0 or more', (value) => Number.isInteger(value) && value >= 0).optional(),
    page: tier.optional(),
    ticket: tier.optional(),
    windows: z
      .array(windowRow, { error: expecting('a list of windows') })
      .min(1, { error: 'expected at least one window (leave windows out to use the default table)' })
      .optional(),
  },
  'a mapping with page and/or ticket tiers',
);

const trackSelector = (track: string) => z.string({ error: expecting(`a label selector in braces, e.g. {track="${track}"}`) });

const tracks = strict({ canary: trackSelector('canary'), stable: trackSelector('stable') }, 'a mapping with canary and stable label selectors');

const spec = strict(
  {
    description: z.string({ error: expecting('a string') }).optional(),
    objective,
    window: duration(sloWindowBounds),
    indicator,
    alerting,
    tracks: tracks.optional(),
  },
  'a mapping with objective, window, indicator and alerting',
);

export const sloV1 = strict(
  {
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata,
    spec,
  },
  'a mapping with apiVersion, kind, metadata and spec',
);

export type WireSlo = z.infer<typeof sloV1>;
export type WireWindow = z.infer<typeof windowRow>;
