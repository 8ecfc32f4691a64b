import { formatPath, type Finding } from '../spec/diagnostic.js';
import { durationSeconds } from '../spec/wire-values.js';
import { parseMatcher } from './matcher.js';
import { pagerDutyDefaults, rootDefaults, type EmailTarget, type PagerDutyTarget, type Receiver, type RouteNode, type RoutingConfig, type SlackTarget } from './routing-model.js';
import { routingFindings, type Env } from './routing-rules.js';
import { groupByAllMarker, type ReceiverWire, type RouteWire, type RoutingWire } from './routing-schema.js';
import { toWebhookTarget } from './to-webhook-target.js';

/** The routing section has errors; each finding has a path for `file:line:col` placement. */
export class RoutingConfigError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(findings.map((f) => `${formatPath(f.path)}: ${f.message}`).join('\n'));
    this.name = 'RoutingConfigError';
  }
}

/**
 * Maps the validated wire form to the model: receivers with secrets read from `env`, the routing tree with every
 * unset setting inherited from the parent (Alertmanager's defaults at the root). Undefined when the file has no
 * routing section. Throws RoutingConfigError when any rule of {@link routingFindings} fails. Without `env`, secrets
 * are neither checked nor read (they are empty), for validating files away from the daemon's environment.
 */
export function toRoutingConfig(wire: RoutingWire, env: Env | undefined): RoutingConfig | undefined {
  const errors = routingFindings(wire, env).filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new RoutingConfigError(errors);
  if (wire.route === undefined) return undefined;
  const receivers = new Map<string, Receiver>();
  for (const receiver of wire.receivers ?? []) receivers.set(receiver.name, toReceiver(receiver, env ?? {}));
  return { receivers, route: toRoute(wire.route, 'root', undefined) };
}

function toReceiver(wire: ReceiverWire, env: Env): Receiver {
  const slack: SlackTarget | undefined = wire.slack && {
    channel: wire.slack.channel,
    token: env[wire.slack.tokenEnv] ?? '',
    apiUrl: wire.slack.apiUrl,
  };
  let email: EmailTarget | undefined;
  if (wire.email) {
    const { smtp } = wire.email;
    const tls = smtp.tls ?? 'starttls';
    email = {
      to: wire.email.to,
      from: wire.email.from,
      smtp: {
        host: smtp.host,
        port: smtp.port ?? (tls === 'implicit' ? 465 : 587),
        tls,
        auth: smtp.user !== undefined && smtp.passwordEnv !== undefined ? { user: smtp.user, password: env[smtp.passwordEnv] ?? '' } : undefined,
      },
    };
  }
  const pagerduty: PagerDutyTarget | undefined = wire.pagerduty && {
    routingKey: env[wire.pagerduty.routingKeyEnv] ?? '',
    severity: {
      page: wire.pagerduty.severity?.page ?? pagerDutyDefaults.severity.page,
      ticket: wire.pagerduty.severity?.ticket ?? pagerDutyDefaults.severity.ticket,
    },
    url: (wire.pagerduty.url ?? pagerDutyDefaults.url).replace(/\/+$/, ''),
    client: wire.pagerduty.client ?? pagerDutyDefaults.client,
  };
  const teams = wire.teams && { url: env[wire.teams.urlEnv] ?? '' };
  return { name: wire.name, slack, email, pagerduty, webhook: wire.webhook && toWebhookTarget(wire.webhook, env), ...(teams && { teams }) };
}

function toRoute(wire: RouteWire, id: string, parent: RouteNode | undefined): RouteNode {
  const base = parent ?? { ...rootDefaults, receiver: '' };
  const node: RouteNode = {
    id,
    matchers: (wire.matchers ?? []).map(parseMatcher),
    continue: wire.continue ?? false,
    receiver: wire.receiver ?? base.receiver,
    groupBy: wire.group_by === undefined ? base.groupBy : wire.group_by.includes(groupByAllMarker) ? 'all' : wire.group_by,
    groupWait: wire.group_wait === undefined ? base.groupWait : durationSeconds(wire.group_wait),
    groupInterval: wire.group_interval === undefined ? base.groupInterval : durationSeconds(wire.group_interval),
    repeatInterval: wire.repeat_interval === undefined ? base.repeatInterval : durationSeconds(wire.repeat_interval),
    sendResolved: wire.send_resolved ?? base.sendResolved,
    routes: [],
  };
  const prefix = id === 'root' ? '' : `${id}.`;
  return { ...node, routes: (wire.routes ?? []).map((child, index) => toRoute(child, `${prefix}${index}`, node)) };
}
