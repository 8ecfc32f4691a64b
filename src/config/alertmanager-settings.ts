import * as z from 'zod';
import type { AlertmanagerSettings } from '../channels/alertmanager-output.js';
import { parseDuration } from '../core/duration.js';
import { duration, expecting } from '../spec/wire-values.js';

const labelValue = z.string({ error: expecting('a label value, e.g. critical') }).min(1);

/**
 * The `alertmanager` key of burnrate.yaml's top level (spread into the config schema's shape): burnrate's alerts
 * posted to Alertmanager's API v2, beside (or instead of) the receivers of burnrate's own routing tree.
 */
export const alertmanagerSchema = {
  alertmanager: z
    .strictObject(
      {
        urls: z
          .array(z.url({ protocol: /^https?$/, error: expecting('an http(s) URL of an Alertmanager, e.g. http://alertmanager:9093') }), {
            error: expecting('a list of Alertmanager URLs'),
          })
          .min(1),
        resendInterval: duration({ min: 5, max: 3600 }).optional(),
        timeout: duration({ min: 1, max: 120 }).optional(),
        resolvedFor: duration({ min: 60, max: 86_400 }).optional(),
        externalUrl: z.url({ protocol: /^https?$/, error: expecting("burnrate's own http(s) address as readers reach it, e.g. https://burnrate.example.com") }).optional(),
        severity: z.strictObject({ page: labelValue.optional(), ticket: labelValue.optional() }).optional(),
        watchdog: z.boolean({ error: expecting('true or false') }).optional(),
      },
      { error: expecting('a mapping with urls, resendInterval, timeout, resolvedFor, externalUrl, severity, watchdog') },
    )
    .optional(),
};

export type AlertmanagerWire = z.infer<typeof alertmanagerSchema.alertmanager>;

export const defaultResendInterval = 60;
export const defaultResolvedFor = 15 * 60;

/** The settings with durations in seconds; undefined without the key. `server` gives the default `externalUrl`. */
export function toAlertmanagerSettings(wire: AlertmanagerWire, server: { host: string; port: number }): AlertmanagerSettings | undefined {
  if (wire === undefined) return undefined;
  const seconds = (value: string | undefined, fallback: number) => (value === undefined ? fallback : (parseDuration(value) ?? fallback));
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return {
    urls: wire.urls,
    resendInterval: seconds(wire.resendInterval, defaultResendInterval),
    timeout: seconds(wire.timeout, 10),
    resolvedFor: seconds(wire.resolvedFor, defaultResolvedFor),
    externalUrl: wire.externalUrl ?? `http://${host}:${server.port}`,
    severity: { page: wire.severity?.page ?? 'page', ticket: wire.severity?.ticket ?? 'ticket' },
    watchdog: wire.watchdog ?? false,
  };
}
