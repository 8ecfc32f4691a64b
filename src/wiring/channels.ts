import { createEmailChannel } from '../channels/email-channel.js';
import { createPagerDutyChannel } from '../channels/pagerduty-channel.js';
import { createSlackChannel } from '../channels/slack-channel.js';
import { createTeamsChannel } from '../channels/teams-channel.js';
import { createWebhookChannel } from '../channels/webhook-channel.js';
import type { Channel } from '../notify/channel.js';
import type { RenderEmail, RenderSlack, RenderTeams } from '../notify/rendering.js';
import { teamsRenderer } from '../render/render-teams.js';
import type { RoutingConfig } from '../routing/routing-model.js';

/** One channel per receiver integration, keyed `receiver/kind` (`payments/slack`, `payments/pagerduty`, …). */
export function buildChannels(
  routing: RoutingConfig | undefined,
  render: { renderSlack: RenderSlack; renderEmail: RenderEmail; renderTeams?: RenderTeams },
  timeoutSeconds: number,
): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const receiver of routing?.receivers.values() ?? []) {
    if (receiver.slack) {
      channels.set(
        `${receiver.name}/slack`,
        createSlackChannel({
          token: receiver.slack.token,
          channel: receiver.slack.channel,
          render: render.renderSlack,
          timeoutMs: timeoutSeconds * 1000,
          ...(receiver.slack.apiUrl !== undefined && { apiUrl: receiver.slack.apiUrl }),
        }),
      );
    }
    if (receiver.email) {
      const { smtp } = receiver.email;
      channels.set(
        `${receiver.name}/email`,
        createEmailChannel({
          from: receiver.email.from,
          to: [...receiver.email.to],
          smtp: {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.tls === 'implicit',
            requireTLS: smtp.tls === 'starttls',
            ...(smtp.auth && { user: smtp.auth.user, password: smtp.auth.password }),
          },
          render: render.renderEmail,
          timeoutMs: timeoutSeconds * 1000,
        }),
      );
    }
    if (receiver.pagerduty) {
      channels.set(`${receiver.name}/pagerduty`, createPagerDutyChannel({ target: receiver.pagerduty, timeoutMs: timeoutSeconds * 1000 }));
    }
    if (receiver.webhook) {
      const { url, secret, headers, timeout, maxAttempts } = receiver.webhook;
      channels.set(`${receiver.name}/webhook`, createWebhookChannel({ url, secret, headers, timeoutMs: (timeout ?? timeoutSeconds) * 1000, ...(maxAttempts !== undefined && { maxAttempts }) }));
    }
    if (receiver.teams) {
      channels.set(`${receiver.name}/teams`, createTeamsChannel({ url: receiver.teams.url, render: render.renderTeams ?? teamsRenderer(), timeoutMs: timeoutSeconds * 1000 }));
    }
  }
  return channels;
}
