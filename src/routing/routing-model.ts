import type { Matcher } from './matcher.js';

/** Where notifications go, with secrets resolved from the environment. */
export interface SlackTarget {
  channel: string;
  token: string;
  /** Slack Web API base URL; undefined means Slack's own. */
  apiUrl: string | undefined;
}

export const smtpTlsModes = ['none', 'starttls', 'implicit'] as const;
export type SmtpTls = (typeof smtpTlsModes)[number];

export interface EmailTarget {
  to: readonly string[];
  from: string;
  smtp: {
    host: string;
    port: number;
    tls: SmtpTls;
    auth: { user: string; password: string } | undefined;
  };
}

export const pagerDutySeverities = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof pagerDutySeverities)[number];

/** PagerDuty Events API v2 (docs/receivers/pagerduty.md). */
export interface PagerDutyTarget {
  /** The integration's routing key (from the environment). */
  routingKey: string;
  /** PagerDuty severity of each burnrate tier. */
  severity: { page: PagerDutySeverity; ticket: PagerDutySeverity };
  /** Events API base URL, without `/v2/enqueue`. */
  url: string;
  /** `client` of each event: the name PagerDuty shows as its source tool. */
  client: string;
}

export const pagerDutyDefaults = { severity: { page: 'critical', ticket: 'warning' }, url: 'https://events.pagerduty.com', client: 'burnrate' } as const;

/** A generic signed webhook (docs/receivers/webhook.md); secrets resolved from the environment. */
export interface WebhookTarget {
  url: string;
  /** HMAC-SHA256 key of the signature header. */
  secret: string;
  /** Extra headers: the configured values and those read from the environment. */
  headers: Readonly<Record<string, string>>;
  /** Seconds per request; undefined means `alerting.delivery.timeout`. */
  timeout: number | undefined;
  maxAttempts: number | undefined;
}

/** A Microsoft Teams Workflows webhook (docs/receivers/teams.md). */
export interface TeamsTarget {
  /** The webhook URL, read from the environment (its `sig=` makes it a secret). */
  url: string;
}

/** A receiver with neither target drops what is routed to it. */
export interface Receiver {
  name: string;
  slack: SlackTarget | undefined;
  email: EmailTarget | undefined;
  webhook?: WebhookTarget | undefined;
  /** Kinds added after Slack and email are optional, so a receiver literal need not name every kind. */
  pagerduty?: PagerDutyTarget | undefined;
  teams?: TeamsTarget | undefined;
}

/** `all` is Alertmanager's `group_by: ['...']`: every label set is its own group. */
export type GroupBy = 'all' | readonly string[];

/** A node of the routing tree with every setting resolved (inherited from its parent when unset). Times in seconds. */
export interface RouteNode {
  /** The node's path: `root`, then child indices such as `0`, `0.1`. */
  id: string;
  matchers: readonly Matcher[];
  continue: boolean;
  receiver: string;
  groupBy: GroupBy;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  sendResolved: boolean;
  routes: readonly RouteNode[];
}

export interface RoutingConfig {
  receivers: ReadonlyMap<string, Receiver>;
  route: RouteNode;
}

/**
 * Alertmanager's root defaults, except `group_by`: one group per SLO (Alertmanager's default puts every alert of
 * a route in one group). Severity separates groups whatever `group_by` says (see group-key.ts), so by default
 * each SLO's page and ticket are two groups.
 */
export const rootDefaults = {
  groupBy: ['slo'] as readonly string[],
  groupWait: 30,
  groupInterval: 300,
  repeatInterval: 4 * 3600,
  sendResolved: true,
} as const;
