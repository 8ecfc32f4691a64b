import * as z from 'zod';
import { duration, expecting, holdDuration } from '../spec/wire-values.js';
import cron from 'node-cron';
import { routingSchema } from '../routing/routing-schema.js';
import { reportSchema } from '../report/report-settings.js';
import { gateSchema } from '../gate/gate-schema.js';
import { verificationSchema } from '../verify/verification-settings.js';
import { serverLimitsShape } from './server-limits.js';
import { embeddedSettingsSchema } from './embedded-settings.js';
import { alertmanagerSchema } from './alertmanager-settings.js';
import { heartbeatSchema } from './heartbeat-settings.js';
import { shardingSchema } from './sharding-settings.js';

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
  ...routingSchema,
  ...reportSchema,
  ...gateSchema,
  ...verificationSchema,
  ...alertmanagerSchema,
  ...heartbeatSchema,
  ...shardingSchema,
  apiVersion: z.literal('burnrate/v1', { error: expecting('apiVersion "burnrate/v1"') }).optional(),
  kind: z.literal('Config', { error: expecting('kind "Config"') }).optional(),
  backend: z
    .strictObject({
      embedded: embeddedSettingsSchema.optional(),
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
      gateLog: duration({ min: 3600, max: 3650 * day }).optional(),
    })
    .optional(),
  server: z
    .strictObject({
      listen: z
        .string({ error: expecting('host:port, e.g. 127.0.0.1:9464') })
        .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, { error: (i) => `expected host:port, e.g. 127.0.0.1:9464, got ${JSON.stringify(i.input)}` })
        .optional(),
      ...serverLimitsShape,
    })
    .optional(),
  alerting: z
    .strictObject({
      noData: z
        .strictObject({
          after: duration({ min: 60, max: 7 * day }).optional(),
          severity: z.enum(['page', 'ticket'], { error: expecting('page or ticket') }).optional(),
        })
        .optional(),
      templates: z.string({ error: expecting('a directory of nunjucks templates overriding the shipped ones') }).min(1).optional(),
      runbookBaseUrl: z.url({ protocol: /^https?$/, error: expecting('an http(s) URL where the runbooks can be read, e.g. https://github.com/acme/slos/blob/main/runbooks/') }).optional(),
      links: z
        .strictObject({
          dashboard: z.string({ error: expecting('a URL template with {{slo}} / {{service}}') }).optional(),
          query: z.string({ error: expecting('a URL template with {{slo}} / {{service}}') }).optional(),
        })
        .optional(),
      delivery: z
        .strictObject({
          giveUpAfter: duration({ min: 60, max: 7 * day }).optional(),
          timeout: duration({ min: 1, max: 120 }).optional(),
          recoverAfter: duration({ min: 1, max: 600 }).optional(),
        })
        .optional(),
    })
    .optional(),
  deploys: z
    .strictObject({
      lookback: duration({ min: 60, max: 30 * day }).optional(),
      dedupWindow: holdDuration({ min: 1, max: day }).optional(),
      related: z.record(z.string(), z.array(z.string(), { error: expecting('a list of service names') })).optional(),
      buildInfo: z
        .strictObject({
          metric: z.string({ error: expecting('an info metric with an optional selector, e.g. app_build_info{job="api"}') }).regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/),
          serviceLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional(),
          versionLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional(),
          commitLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional(),
          environmentLabel: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional(),
          step: duration({ min: 10, max: 3600 }).optional(),
        })
        .optional(),
    })
    .optional(),
  api: z
    .strictObject({
      tokens: z
        .array(
          z.strictObject({
            name: z.string({ error: expecting('a name for the token, shown in logs and the gate log') }).min(1),
            tokenEnv: z.string({ error: expecting('the name of the environment variable holding the token') }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
            scopes: z.array(z.enum(['read', 'write'], { error: expecting('read or write') })).min(1),
          }),
        )
        .optional(),
    })
    .optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error'], { error: expecting('one of debug, info, warn, error') }).optional(),
});

export type ConfigWireV1 = z.infer<typeof configSchemaV1>;
