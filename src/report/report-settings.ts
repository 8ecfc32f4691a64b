import cron from 'node-cron';
import * as z from 'zod';
import { parseDuration } from '../core/duration.js';
import { duration, expecting } from '../spec/wire-values.js';
import { checkTimeZone } from './iso-week.js';

/** The `reports` key of burnrate.yaml; spread `reportSchema` into the config schema's shape. */

const timeZone = z.string({ error: expecting('an IANA time zone, e.g. Europe/Berlin') }).superRefine((value, ctx) => {
  try {
    checkTimeZone(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const schedule = z.string({ error: expecting('a cron expression, e.g. "0 9 * * 1"') }).refine((value) => cron.validate(value), {
  error: (issue) => `expected a cron expression (minute hour day month weekday), got ${JSON.stringify(issue.input)}`,
});

export const reportsWireSchema = z.strictObject({
  schedule: schedule.optional(),
  timezone: timeZone.optional(),
  deployWindow: duration({ min: 60, max: 7 * 86_400 }).optional(),
  receivers: z.array(z.string({ error: expecting('a receiver name') }).min(1), { error: expecting('a list of receiver names') }).optional(),
  /** A URL template where the HTML report is published, with {{team}} and {{week}}; linked from Slack and email. */
  link: z.string({ error: expecting('a URL template with {{team}} and {{week}}') }).regex(/^https?:\/\//, { error: 'expected an http(s) URL template' }).optional(),
});

export const reportSchema = { reports: reportsWireSchema.optional() };

export type ReportsWire = z.infer<typeof reportsWireSchema>;

export interface ReportSettings {
  /** node-cron expression, read in `timeZone`. */
  schedule: string;
  timeZone: string;
  /** Seconds after a deploy whose budget use is charged to it. */
  deployWindow: number;
  /** Receivers to send to; undefined means those the team's alerts route to. */
  receivers: readonly string[] | undefined;
  link: string | undefined;
}

export const defaultReportSettings: ReportSettings = {
  schedule: '0 9 * * 1',
  timeZone: 'UTC',
  deployWindow: 4 * 3600,
  receivers: undefined,
  link: undefined,
};

export function toReportSettings(wire: ReportsWire | undefined): ReportSettings {
  return {
    schedule: wire?.schedule ?? defaultReportSettings.schedule,
    timeZone: wire?.timezone ?? defaultReportSettings.timeZone,
    deployWindow: wire?.deployWindow === undefined ? defaultReportSettings.deployWindow : (parseDuration(wire.deployWindow) ?? defaultReportSettings.deployWindow),
    receivers: wire?.receivers,
    link: wire?.link,
  };
}

/** Receivers named under `reports.receivers` that the config does not define. */
export function unknownReportReceivers(settings: Pick<ReportSettings, 'receivers'>, defined: ReadonlySet<string>): string[] {
  return (settings.receivers ?? []).filter((name) => !defined.has(name));
}

/** The link of one team's report, or undefined when none is configured. */
export function reportLink(settings: Pick<ReportSettings, 'link'>, team: string, week: string): string | undefined {
  return settings.link?.replaceAll('{{team}}', encodeURIComponent(team)).replaceAll('{{week}}', week);
}

/** The settings of a loaded config, before and after `reports` is part of Config. */
export function reportSettingsOf(config: object): ReportSettings {
  const reports = (config as { reports?: ReportSettings }).reports;
  return reports ?? defaultReportSettings;
}
