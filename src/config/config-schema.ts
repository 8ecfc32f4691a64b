import * as z from 'zod';
import { duration, expecting, holdDuration } from '../slo/wire-values.js';
import cron from 'node-cron';

const day = 86_400;

const prometheus = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: expecting('an http(s) URL of a Prometheus-compatible API, e.g. http://prometheus:9090') }),
  timeout: duration({ min: 1, max: 300 }).optional(),
  headers: z.record(z.string(), z.string({ error: expecting('a header value') })).optional(),
});

const schedule = z.string({ error: expecting('a cron expression, e.g. "* * * * *"') }).refine((value) => cron.validate(value), {
  error: (issue) => `expected a cron expression (minute hour day month weekday, optional seconds first), got ${JSON.stringify(issue.input)}`,
});

/** `burnrate.yaml`, version 1. Every field optional: the defaults run the embedded store. */
export const configSchemaV1 = z.strictObject({
  apiVersion: z.literal('burnrate/v1', { error: expecting('apiVersion "burnrate/v1"') }).optional(),
  kind: z.literal('Config', { error: expecting('kind "Config"') }).optional(),
  backend: z
    .strictObject({
      embedded: z.strictObject({}).optional(),
      prometheus: prometheus.optional(),
    })
    .refine((b) => !(b.embedded && b.prometheus), { error: 'expected one backend: embedded or prometheus, not both' })
    .optional(),
  database: z.string({ error: expecting('a file path for the SQLite database') }).min(1).optional(),
  slos: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: expecting('a path or a list of paths') }).optional(),
  runbooks: z.string({ error: expecting('a directory path') }).min(1).optional(),
  evaluation: z
    .strictObject({
      schedule: schedule.optional(),
      bucket: duration({ min: 10, max: 3600 }).optional(),
      queryDelay: holdDuration({ min: 1, max: 3600 }).optional(),
      lateness: holdDuration({ min: 1, max: 6 * 3600 }).optional(),
      concurrency: z.int({ error: expecting('a whole number from 1 to 256') }).min(1).max(256).optional(),
      maxCatchUpSteps: z.int({ error: expecting('a whole number from 0 to 100000') }).min(0).max(100_000).optional(),
    })
    .optional(),
  history: z
    .strictObject({
      retention: holdDuration({ min: 1, max: 3650 * day }).optional(),
      fullResolution: duration({ min: 60, max: 90 * day }).optional(),
      downsample: duration({ min: 60, max: day }).optional(),
    })
    .optional(),
  server: z
    .strictObject({
      listen: z
        .string({ error: expecting('host:port, e.g. 127.0.0.1:9464') })
        .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, { error: (i) => `expected host:port, e.g. 127.0.0.1:9464, got ${JSON.stringify(i.input)}` })
        .optional(),
    })
    .optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error'], { error: expecting('one of debug, info, warn, error') }).optional(),
});

export type ConfigWireV1 = z.infer<typeof configSchemaV1>;
