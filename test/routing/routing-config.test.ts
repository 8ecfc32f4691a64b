import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';
import { parseRoutingText } from '../../src/routing/load-routing.js';
import type { RouteNode } from '../../src/routing/routing-model.js';
import { RoutingConfigError, toRoutingConfig } from '../../src/routing/to-routing-config.js';

const env = { SLACK_TOKEN: 'xoxb-1', SMTP_PASSWORD: 'secret' };

const good = `
receivers:
  - name: default-email
    email:
      to: [oncall@example.com]
      from: burnrate@example.com
      smtp: {host: smtp.example.com, port: 587, tls: starttls, user: burnrate, passwordEnv: SMTP_PASSWORD}
  - name: payments-slack
    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "http://127.0.0.1:9/api/"}
  - name: blackhole
route:
  receiver: default-email
  group_by: [slo]
  group_wait: 10s
  routes:
    - matchers: ['team="payments"', 'severity=~"page|ticket"']
      receiver: payments-slack
      continue: true
      group_by: ['...']
      routes:
        - matchers: [severity=ticket]
          repeat_interval: 1d
          send_resolved: false
    - matchers: [team=payments]
      group_wait: 0s
    - matchers: ['env="dev"']
      receiver: blackhole
`;

/** Diagnostics as the CLI prints them. */
function diagnose(text: string, withEnv: Record<string, string> = env): string[] {
  return parseRoutingText(text, 'burnrate.yaml', withEnv).diagnostics.map(formatDiagnostic);
}

describe('routing config', () => {
  it('maps receivers with secrets from the environment and defaults for port and tls', () => {
    const { config, diagnostics } = parseRoutingText(good, 'burnrate.yaml', env);
    expect(diagnostics).toEqual([]);
    expect(config?.receivers.get('payments-slack')).toEqual({
      name: 'payments-slack',
      slack: { channel: '#payments-oncall', token: 'xoxb-1', apiUrl: 'http://127.0.0.1:9/api/' },
      email: undefined,
    });
    expect(config?.receivers.get('default-email')?.email?.smtp).toEqual({
      host: 'smtp.example.com',
      port: 587,
      tls: 'starttls',
      auth: { user: 'burnrate', password: 'secret' },
    });
    expect(config?.receivers.get('blackhole')).toEqual({ name: 'blackhole', slack: undefined, email: undefined });
    const implicit = toRoutingConfig(
      { receivers: [{ name: 'm', email: { to: ['a@b.c'], from: 'Burnrate <x@b.c>', smtp: { host: 'h', tls: 'implicit' } } }], route: { receiver: 'm' } },
      {},
    );
    expect(implicit?.receivers.get('m')?.email?.smtp).toEqual({ host: 'h', port: 465, tls: 'implicit', auth: undefined });
  });

  it('children inherit every unset setting from their parent, Alertmanager defaults at the root', () => {
    const route = parseRoutingText(good, 'burnrate.yaml', env).config!.route;
    const summary = (node: RouteNode): unknown => ({
      id: node.id,
      receiver: node.receiver,
      groupBy: node.groupBy,
      timers: [node.groupWait, node.groupInterval, node.repeatInterval],
      sendResolved: node.sendResolved,
      continue: node.continue,
      routes: node.routes.map(summary),
    });
    expect(summary(route)).toEqual({
      id: 'root',
      receiver: 'default-email',
      groupBy: ['slo'],
      timers: [10, 300, 14_400],
      sendResolved: true,
      continue: false,
      routes: [
        {
          id: '0',
          receiver: 'payments-slack',
          groupBy: 'all',
          timers: [10, 300, 14_400],
          sendResolved: true,
          continue: true,
          routes: [{ id: '0.0', receiver: 'payments-slack', groupBy: 'all', timers: [10, 300, 86_400], sendResolved: false, continue: false, routes: [] }],
        },
        { id: '1', receiver: 'default-email', groupBy: ['slo'], timers: [0, 300, 14_400], sendResolved: true, continue: false, routes: [] },
        { id: '2', receiver: 'blackhole', groupBy: ['slo'], timers: [10, 300, 14_400], sendResolved: true, continue: false, routes: [] },
      ],
    });
    expect(route.routes[0]?.matchers).toEqual([
      { name: 'team', type: '=', value: 'payments' },
      { name: 'severity', type: '=~', value: 'page|ticket' },
    ]);
  });

  it('a file without receivers and route has no routing config', () => {
    expect(parseRoutingText('database: x.db\n', 'burnrate.yaml', env)).toEqual({ config: undefined, diagnostics: [] });
  });

  const bad: Array<[string, string, string[]]> = [
    [
      'a literal Slack token',
      'receivers:\n  - name: s\n    slack: {channel: "#c", tokenEnv: T, token: xoxb-123}\nroute: {receiver: s}\n',
      ['burnrate.yaml:3:41 receivers[0].slack.token: a literal token does not belong in the config file: set an environment variable and name it with tokenEnv, e.g. tokenEnv: SLACK_TOKEN'],
    ],
    [
      'a literal SMTP password',
      'receivers:\n  - name: m\n    email:\n      to: [a@b.c]\n      from: x@b.c\n      smtp:\n        host: h\n        password: hunter2\nroute: {receiver: m}\n',
      ['burnrate.yaml:8:9 receivers[0].email.smtp.password: a literal password does not belong in the config file: set an environment variable and name it with passwordEnv, e.g. passwordEnv: SMTP_PASSWORD'],
    ],
    [
      'a misspelt field',
      'receivers: [{name: s}]\nroute:\n  receiver: s\n  group_wiat: 10s\n',
      [
        'burnrate.yaml:4:3 route.group_wiat: unknown field "group_wiat" (did you mean "group_wait"?): allowed fields: receiver, matchers, continue, group_by, group_wait, group_interval, repeat_interval, send_resolved, routes',
      ],
    ],
    [
      'duplicate receiver names',
      'receivers:\n  - name: s\n  - name: s\nroute: {receiver: s}\n',
      ['burnrate.yaml:3:11 receivers[1].name: receiver name "s" is not unique: receivers[0] has it too'],
    ],
    [
      'a route naming an undefined receiver',
      'receivers: [{name: s}]\nroute:\n  receiver: s\n  routes:\n    - matchers: [a=b]\n      receiver: nope\n',
      ['burnrate.yaml:6:17 route.routes[0].receiver: receiver "nope" is not defined in receivers (defined: s)'],
    ],
    [
      'a root route without a receiver',
      'receivers: [{name: s}]\nroute:\n  group_by: [slo]\n',
      ['burnrate.yaml:2:1 route: the root route needs a receiver: alerts that match no child route go there'],
    ],
    [
      'matchers and continue on the root route',
      'receivers: [{name: s}]\nroute:\n  receiver: s\n  matchers: [a=b]\n  continue: true\n',
      [
        'burnrate.yaml:4:3 route.matchers: the root route must not have matchers: every alert enters it',
        'burnrate.yaml:5:3 route.continue: the root route cannot have continue: it has no siblings',
      ],
    ],
    [
      'a bad matcher',
      "receivers: [{name: s}]\nroute:\n  receiver: s\n  routes:\n    - matchers: ['team=~\"(x\"']\n",
      ['burnrate.yaml:5:18 route.routes[0].matchers[0]: invalid regular expression "(x": missing closing ): `(x`'],
    ],
    [
      "'...' beside other group_by labels, and a duplicate label",
      "receivers: [{name: s}]\nroute:\n  receiver: s\n  group_by: [slo, '...']\n  routes:\n    - group_by: [slo, slo]\n",
      [
        "burnrate.yaml:4:19 route.group_by[1]: '...' groups by all labels and must be the only entry of group_by",
        'burnrate.yaml:6:23 route.routes[0].group_by[1]: label "slo" appears twice in group_by',
      ],
    ],
    [
      'a zero group_interval',
      'receivers: [{name: s}]\nroute: {receiver: s, group_interval: 0s}\n',
      ['burnrate.yaml:2:38 route.group_interval: group_interval cannot be zero: expected a duration of at least 1s, e.g. 5m'],
    ],
    [
      'a repeat_interval that is not a duration',
      'receivers: [{name: s}]\nroute: {receiver: s, repeat_interval: 4 hours}\n',
      ['burnrate.yaml:2:39 route.repeat_interval: expected a duration: a whole number followed by s, m, h, d or w (e.g. 5m, 1h, 30d), got "4 hours"'],
    ],
    [
      'repeat_interval shorter than group_interval (a warning)',
      'receivers: [{name: s}]\nroute:\n  receiver: s\n  group_interval: 10m\n  routes:\n    - repeat_interval: 5m\n',
      ['burnrate.yaml:6:24 route.routes[0].repeat_interval: warning: repeat_interval (5m) is shorter than group_interval (10m): a firing group is re-sent only every 10m'],
    ],
    [
      'SMTP user without passwordEnv',
      'receivers:\n  - name: m\n    email: {to: [a@b.c], from: x@b.c, smtp: {host: h, user: u}}\nroute: {receiver: m}\n',
      ['burnrate.yaml:3:45 receivers[0].email.smtp: SMTP authentication needs both user and passwordEnv: passwordEnv is missing'],
    ],
    [
      'receivers without a route',
      'receivers: [{name: s}]\n',
      ['burnrate.yaml:1:1 receivers: receivers need a route: add route with at least the default receiver'],
    ],
    [
      'a bad tls mode and email address',
      'receivers:\n  - name: m\n    email: {to: [nobody], from: x@b.c, smtp: {host: h, tls: ssl}}\nroute: {receiver: m}\n',
      [
        'burnrate.yaml:3:18 receivers[0].email.to[0]: expected an email address, got "nobody"',
        'burnrate.yaml:3:61 receivers[0].email.smtp.tls: expected one of none, starttls, implicit, got "ssl"',
      ],
    ],
  ];
  it.each(bad)('reports %s at file:line:col', (_, text, expected) => {
    expect(diagnose(text)).toEqual(expected);
  });

  it('a missing environment variable names the variable and the receiver', () => {
    const text = 'receivers:\n  - name: payments-slack\n    slack: {channel: "#c", tokenEnv: PAY_TOKEN}\nroute: {receiver: payments-slack}\n';
    expect(diagnose(text, {})).toEqual([
      'burnrate.yaml:3:38 receivers[0].slack.tokenEnv: environment variable PAY_TOKEN is not set: it holds the Slack token of receiver "payments-slack"',
    ]);
    expect(parseRoutingText(text, 'burnrate.yaml').diagnostics).toEqual([]);
    const wire = { receivers: [{ name: 'payments-slack', slack: { channel: '#c', tokenEnv: 'PAY_TOKEN' } }], route: { receiver: 'payments-slack' } };
    expect(() => toRoutingConfig(wire, {})).toThrow(RoutingConfigError);
    expect(() => toRoutingConfig(wire, {})).toThrow(
      'receivers[0].slack.tokenEnv: environment variable PAY_TOKEN is not set: it holds the Slack token of receiver "payments-slack"',
    );
  });
});
