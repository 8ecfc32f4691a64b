import * as z from 'zod';
import { defaultIngestLimits, type IngestLimits } from '../backends/embedded/ingest-limits.js';
import { duration, durationSeconds, expecting } from '../spec/wire-values.js';

const day = 86_400;

/** What the embedded store accepts and keeps. */
export interface EmbeddedSettings {
  limits: IngestLimits;
  /** Samples older than this are deleted, seconds; undefined: the longest SLO window + the longest alert window + 1d. */
  retention: number | undefined;
}

export const defaultEmbeddedSettings: EmbeddedSettings = { limits: defaultIngestLimits, retention: undefined };

const count = (max: number) =>
  z.int({ error: expecting(`a whole number from 1 to ${max}`) }).min(1).max(max).optional();

/** `backend.embedded` in burnrate.yaml (wire form). */
export const embeddedSettingsSchema = z.strictObject({
  limits: z
    .strictObject({
      seriesPerPush: count(1_000_000),
      samplesPerPush: count(10_000_000),
      series: count(10_000_000),
    })
    .optional(),
  retention: duration({ min: 3600, max: 3650 * day }).optional(),
});

export function embeddedSettings(wire: z.output<typeof embeddedSettingsSchema> | undefined): EmbeddedSettings {
  return {
    limits: { ...defaultIngestLimits, ...withoutUndefined(wire?.limits ?? {}) },
    retention: wire?.retention === undefined ? undefined : durationSeconds(wire.retention),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
