import { formatDuration } from '../core/duration.js';
import { error, warning, type Finding } from '../spec/diagnostic.js';
import { durationSeconds } from '../spec/wire-values.js';
import { rootDefaults } from './routing-model.js';
import type { RouteWire, RoutingWire } from './routing-schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Rules across fields of the routing section, as Alertmanager's config validation has them: unique receiver
 * names, receivers that exist, a root route with a receiver and neither matchers nor continue; a warning when
 * repeat_interval is shorter than group_interval. With `env`, the secrets the receivers name must be set in it.
 */
export function routingFindings(wire: RoutingWire, env?: Env): Finding[] {
  const findings: Finding[] = [];
  const receivers = wire.receivers ?? [];
  const firstIndex = new Map<string, number>();
  receivers.forEach((receiver, index) => {
    const first = firstIndex.get(receiver.name);
    if (first === undefined) firstIndex.set(receiver.name, index);
    else findings.push(error(['receivers', index, 'name'], `receiver name "${receiver.name}" is not unique: receivers[${first}] has it too`));
    const path = ['receivers', index];
    const smtp = receiver.email?.smtp;
    if (smtp && (smtp.user === undefined) !== (smtp.passwordEnv === undefined)) {
      const missing = smtp.user === undefined ? 'user' : 'passwordEnv';
      findings.push(error([...path, 'email', 'smtp'], `SMTP authentication needs both user and passwordEnv: ${missing} is missing`));
    }
    if (env === undefined) return;
    const needs = (variable: string | undefined, what: string, at: PropertyKey[]) => {
      if (variable !== undefined && (env[variable] ?? '') === '') {
        findings.push(error(at, `environment variable ${variable} is not set: it holds the ${what} of receiver "${receiver.name}"`));
      }
    };
    needs(receiver.slack?.tokenEnv, 'Slack token', [...path, 'slack', 'tokenEnv']);
    needs(smtp?.passwordEnv, 'SMTP password', [...path, 'email', 'smtp', 'passwordEnv']);
    needs(receiver.webhook?.secretEnv, 'webhook signing secret', [...path, 'webhook', 'secretEnv']);
    for (const [header, variable] of Object.entries(receiver.webhook?.headersEnv ?? {})) needs(variable, `webhook ${header} header`, [...path, 'webhook', 'headersEnv', header]);
    needs(receiver.pagerduty?.routingKeyEnv, 'PagerDuty routing key', [...path, 'pagerduty', 'routingKeyEnv']);
    const teamsUrl = receiver.teams ? env[receiver.teams.urlEnv] ?? '' : '';
    needs(receiver.teams?.urlEnv, 'Teams Workflows webhook URL', [...path, 'teams', 'urlEnv']);
    if (receiver.teams && teamsUrl !== '' && !/^https?:\/\/[^\s/]+/.test(teamsUrl)) {
      findings.push(error([...path, 'teams', 'urlEnv'], `environment variable ${receiver.teams.urlEnv} does not hold an http(s) URL: it holds the Teams Workflows webhook URL of receiver "${receiver.name}"`));
    }
  });

  const route = wire.route;
  if (route === undefined) {
    if (wire.receivers !== undefined) findings.push(error(['receivers'], 'receivers need a route: add route with at least the default receiver', 'key'));
    return findings;
  }
  if (route.receiver === undefined) findings.push(error(['route'], 'the root route needs a receiver: alerts that match no child route go there', 'key'));
  if (route.matchers !== undefined) findings.push(error(['route', 'matchers'], 'the root route must not have matchers: every alert enters it', 'key'));
  if (route.continue !== undefined) findings.push(error(['route', 'continue'], 'the root route cannot have continue: it has no siblings', 'key'));
  checkRoute(route, ['route'], { groupInterval: rootDefaults.groupInterval, repeatInterval: rootDefaults.repeatInterval }, new Set(firstIndex.keys()), findings);
  return findings;
}

function checkRoute(
  route: RouteWire,
  path: PropertyKey[],
  inherited: { groupInterval: number; repeatInterval: number },
  receivers: ReadonlySet<string>,
  findings: Finding[],
): void {
  if (route.receiver !== undefined && !receivers.has(route.receiver)) {
    const known = receivers.size === 0 ? 'no receivers are defined' : `defined: ${[...receivers].join(', ')}`;
    findings.push(error([...path, 'receiver'], `receiver "${route.receiver}" is not defined in receivers (${known})`));
  }
  const groupInterval = route.group_interval === undefined ? inherited.groupInterval : durationSeconds(route.group_interval);
  const repeatInterval = route.repeat_interval === undefined ? inherited.repeatInterval : durationSeconds(route.repeat_interval);
  const setHere = route.group_interval !== undefined || route.repeat_interval !== undefined;
  if (setHere && repeatInterval < groupInterval) {
    const at = route.repeat_interval !== undefined ? 'repeat_interval' : 'group_interval';
    findings.push(
      warning(
        [...path, at],
        `repeat_interval (${formatDuration(repeatInterval)}) is shorter than group_interval (${formatDuration(groupInterval)}): a firing group is re-sent only every ${formatDuration(groupInterval)}`,
      ),
    );
  }
  (route.routes ?? []).forEach((child, index) => checkRoute(child, [...path, 'routes', index], { groupInterval, repeatInterval }, receivers, findings));
}
