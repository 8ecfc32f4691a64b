import type { Logger } from '../log.js';
import type { EmailTarget, RoutingConfig, SlackTarget } from '../routing/routing-model.js';
import type { Templates } from '../render/templates.js';
import type { Slo } from '../slo/model.js';
import { buildReport } from './build-report.js';
import { collectReportInput, type ReportSources } from './collect-report-input.js';
import { sendReportEmail } from './email-report-sender.js';
import { formatIsoWeek, lastCompleteWeek, weekBounds, type IsoWeek } from './iso-week.js';
import type { ReportDeliveryStore } from './report-deliveries.js';
import type { WeeklyReport } from './report-model.js';
import { reportLink, type ReportSettings } from './report-settings.js';
import { renderReportEmail, type ReportEmail } from './render-report.js';
import { sendReportSlack } from './slack-report-sender.js';
import { slackReportMessage, type SlackReportMessage } from './slack-report.js';
import { receiverIntegrations, teamReceivers } from './team-receivers.js';
import { slosByTeam } from './teams.js';

export interface ReportSenders {
  email(target: EmailTarget, email: ReportEmail): Promise<unknown>;
  slack(target: SlackTarget, message: SlackReportMessage): Promise<unknown>;
}

export interface WeeklyReportDeps {
  slos: readonly Slo[];
  sources: ReportSources;
  deliveries: ReportDeliveryStore;
  routing: RoutingConfig | undefined;
  settings: ReportSettings;
  /** Config `deploys.related`. */
  related?: Readonly<Record<string, readonly string[]>>;
  log: Logger;
  /** Default: nodemailer and @slack/web-api with `timeoutMs`. */
  senders?: ReportSenders;
  timeoutMs?: number;
  templates?: Templates;
}

export interface SendOutcome {
  week: string;
  team: string;
  integration: string;
  /** `skipped`: already sent (or its earlier send's outcome is unknown), never sent twice. */
  result: 'sent' | 'failed' | 'skipped';
  error?: string;
}

export function defaultSenders(timeoutMs = 10_000): ReportSenders {
  return { email: (target, email) => sendReportEmail(target, email, timeoutMs), slack: (target, message) => sendReportSlack(target, message, timeoutMs) };
}

/**
 * Sends each team's report of `week` (default: the last complete week in the configured zone) to the team's
 * receivers. Each (week, team, integration) is claimed in SQLite before sending and its outcome written after, so a
 * week is never sent twice to the same integration, across restarts; failed sends are tried again on the next call.
 */
export async function sendWeeklyReports(deps: WeeklyReportDeps, now: number, week?: IsoWeek): Promise<SendOutcome[]> {
  const { settings, log } = deps;
  const senders = deps.senders ?? defaultSenders(deps.timeoutMs);
  const bounds = weekBounds(week ?? lastCompleteWeek(now, settings.timeZone), settings.timeZone);
  const weekName = formatIsoWeek(bounds.week);
  const outcomes: SendOutcome[] = [];
  for (const [team, slos] of slosByTeam(deps.slos)) {
    const receivers = teamReceivers(deps.routing, slos, settings.receivers);
    if (receivers.length === 0) {
      log.info({ team, week: weekName }, 'no receivers for the team: weekly report not sent');
      continue;
    }
    const link = reportLink(settings, team, weekName);
    let report: WeeklyReport | undefined;
    let email: ReportEmail | undefined;
    const built = () => (report ??= buildReport(collectReportInput(deps.sources, team, slos, bounds, { deployWindow: settings.deployWindow, now, ...(deps.related && { related: deps.related }) })));
    for (const receiver of receivers) {
      for (const integration of receiverIntegrations(receiver)) {
        const outcome: SendOutcome = { week: weekName, team, integration: integration.id, result: 'skipped' };
        outcomes.push(outcome);
        if (!deps.deliveries.claim(weekName, team, integration.id, now)) continue;
        try {
          if (integration.kind === 'email') {
            email ??= renderReportEmail(built(), { ...(link !== undefined && { link }), ...(deps.templates && { templates: deps.templates }) });
            await senders.email(receiver.email!, email);
          } else {
            await senders.slack(receiver.slack!, slackReportMessage(built(), link));
          }
          deps.deliveries.finish(weekName, team, integration.id, { ok: true }, now);
          outcome.result = 'sent';
          log.info({ team, week: weekName, integration: integration.id }, 'weekly report sent');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          deps.deliveries.finish(weekName, team, integration.id, { ok: false, error: message }, now);
          Object.assign(outcome, { result: 'failed', error: message });
          log.warn({ team, week: weekName, integration: integration.id, err: error }, 'weekly report not sent; will try again');
        }
      }
    }
  }
  return outcomes;
}
