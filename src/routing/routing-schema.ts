import * as z from 'zod';
import { duration, expecting, holdDuration, show } from '../spec/wire-values.js';
import { envName, literalSecret } from '../spec/secret-fields.js';
import { MatcherSyntaxError, parseMatcher } from './matcher.js';
import { pagerDutySeverities, smtpTlsModes } from './routing-model.js';

/**
 * The `receivers` and `route` keys of burnrate.yaml, in Alertmanager's shape. Single-field rules only;
 * the rules across fields (unique names, receivers that exist, the root route) are in routing-rules.ts.
 */

const day = 86_400;
export const groupByAllMarker = '...';
export const groupByLabelPattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const addressPattern = /^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/;

/** A strict object whose unknown-field message lists the allowed fields (`forbidden` ones are left out of the list). */
function strict<Shape extends z.ZodRawShape>(shape: Shape, what: string, forbidden: readonly string[] = []) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `allowed fields: ${Object.keys(shape).filter((k) => !forbidden.includes(k)).join(', ')}`;
      return expecting(what)(issue);
    },
  });
}

const address = z
  .string({ error: expecting('an email address') })
  .regex(addressPattern, { error: (issue) => `expected an email address, got ${show(issue.input)}` });

const nonEmpty = (what: string) => z.string({ error: expecting(what) }).min(1, { error: `expected ${what}, got an empty string` });

const slack = strict(
  {
    channel: nonEmpty('a Slack channel, e.g. "#payments-oncall"'),
    tokenEnv: envName,
    apiUrl: z.url({ protocol: /^https?$/, error: expecting('an http(s) URL of the Slack Web API, e.g. https://slack.com/api/') }).optional(),
    token: literalSecret('token', 'tokenEnv', 'SLACK_TOKEN'),
  },
  'a mapping with channel and tokenEnv',
  ['token'],
);

const pagerDutySeverity = z.enum(pagerDutySeverities, { error: expecting(`one of ${pagerDutySeverities.join(', ')}`) });

const pagerduty = strict(
  {
    routingKeyEnv: envName,
    severity: strict({ page: pagerDutySeverity.optional(), ticket: pagerDutySeverity.optional() }, 'a mapping with page and ticket').optional(),
    url: z.url({ protocol: /^https?$/, error: expecting('an http(s) URL of the PagerDuty Events API, e.g. https://events.pagerduty.com') }).optional(),
    client: nonEmpty('the name PagerDuty shows as the event\'s client').optional(),
    routingKey: literalSecret('routingKey', 'routingKeyEnv', 'PAGERDUTY_ROUTING_KEY'),
  },
  'a mapping with routingKeyEnv',
  ['routingKey'],
);

/** Header names burnrate sets on a webhook itself, which configured headers may not replace. */
export const reservedWebhookHeaderNames = ['content-type', 'content-length', 'host', 'idempotency-key', 'user-agent', 'x-burnrate-timestamp', 'x-burnrate-signature'] as const;
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const secretHeaderPattern = /authorization|token|secret|password|api[-_]?key|cookie/i;
function headerMap<Value extends z.ZodType>(value: Value, literal: boolean) {
  return z.record(z.string().regex(headerNamePattern, { error: (issue) => `expected an HTTP header name, got ${show(issue.input)}` }), value, { error: expecting('a mapping of header names to values') }).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if ((reservedWebhookHeaderNames as readonly string[]).includes(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by burnrate itself and cannot be configured` });
      else if (literal && secretHeaderPattern.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `a literal ${name} header looks like a secret and does not belong in the config file: name an environment variable with headersEnv, e.g. headersEnv: {${name}: WEBHOOK_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}}` });
      }
    }
  });
}

const webhook = strict(
  {
    url: z
      .url({ protocol: /^https?$/, error: expecting('an http(s) URL, e.g. https://hooks.example.com/burnrate') })
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), { error: 'credentials do not belong in the url: name an environment variable with headersEnv (e.g. headersEnv: {Authorization: WEBHOOK_AUTHORIZATION})' }),
    secretEnv: envName,
    headers: headerMap(z.string({ error: expecting('a header value') }), true).optional(),
    headersEnv: headerMap(envName, false).optional(),
    timeout: duration({ min: 1, max: 120 }).optional(),
    maxAttempts: z.int({ error: expecting('a whole number of attempts from 1 to 1000') }).min(1).max(1000).optional(),
    secret: literalSecret('secret', 'secretEnv', 'WEBHOOK_SECRET'),
  },
  'a mapping with url and secretEnv',
  ['secret'],
);

/** A Microsoft Teams Workflows webhook (docs/receivers/teams.md): its URL carries a signature, so it is a secret. */
const teams = strict(
  {
    urlEnv: envName,
    url: literalSecret('url', 'urlEnv', 'TEAMS_WEBHOOK_URL'),
  },
  'a mapping with urlEnv',
  ['url'],
);

const smtp = strict(
  {
    host: nonEmpty('an SMTP host name'),
    port: z.int({ error: expecting('a port number from 1 to 65535') }).min(1).max(65_535).optional(),
    tls: z.enum(smtpTlsModes, { error: expecting(`one of ${smtpTlsModes.join(', ')}`) }).optional(),
    user: nonEmpty('an SMTP user name').optional(),
    passwordEnv: envName.optional(),
    password: literalSecret('password', 'passwordEnv', 'SMTP_PASSWORD'),
  },
  'a mapping with host, port, tls, user and passwordEnv',
  ['password'],
);

const email = strict(
  {
    to: z.array(address, { error: expecting('a list of email addresses') }).min(1, { error: 'expected at least one address' }),
    from: address,
    smtp,
  },
  'a mapping with to, from and smtp',
);

export const receiverSchema = strict(
  {
    name: nonEmpty('a receiver name'),
    slack: slack.optional(),
    email: email.optional(),
    webhook: webhook.optional(),
    pagerduty: pagerduty.optional(),
    teams: teams.optional(),
  },
  'a mapping with name and optionally slack and email',
);

const matcherText = z.string({ error: expecting('a matcher such as team="payments"') }).superRefine((text, ctx) => {
  try {
    parseMatcher(text);
  } catch (error) {
    if (!(error instanceof MatcherSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const groupBy = z
  .array(z.string({ error: expecting('a label name') }), { error: expecting("a list of label names, or ['...'] for all labels") })
  .superRefine((names, ctx) => {
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (name === groupByAllMarker) {
        if (names.length > 1) ctx.addIssue({ code: 'custom', path: [index], message: "'...' groups by all labels and must be the only entry of group_by" });
      } else if (!groupByLabelPattern.test(name)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `expected a label name matching ${groupByLabelPattern.source}, got ${show(name)}` });
      } else if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `label "${name}" appears twice in group_by` });
      }
      seen.add(name);
    });
  });

/** A duration of at least 1s, with a plain message for zero (Alertmanager: "group_interval cannot be zero"). */
function positiveDuration(field: string, max: number) {
  const inner = duration({ min: 1, max });
  return z.string({ error: expecting('a duration such as 5m') }).superRefine((value, ctx) => {
    if (/^0+[smhdw]?$/.test(value.trim())) {
      ctx.addIssue({ code: 'custom', message: `${field} cannot be zero: expected a duration of at least 1s, e.g. 5m` });
      return;
    }
    for (const issue of inner.safeParse(value).error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
  });
}

export interface RouteWire {
  receiver?: string | undefined;
  matchers?: string[] | undefined;
  continue?: boolean | undefined;
  group_by?: string[] | undefined;
  group_wait?: string | 0 | undefined;
  group_interval?: string | undefined;
  repeat_interval?: string | undefined;
  send_resolved?: boolean | undefined;
  routes?: RouteWire[] | undefined;
}

export const routeSchema: z.ZodType<RouteWire> = strict(
  {
    receiver: nonEmpty('a receiver name').optional(),
    matchers: z.array(matcherText, { error: expecting('a list of matchers such as team="payments"') }).optional(),
    continue: z.boolean({ error: expecting('true or false') }).optional(),
    group_by: groupBy.optional(),
    group_wait: holdDuration({ min: 1, max: day }).optional(),
    group_interval: positiveDuration('group_interval', 7 * day).optional(),
    repeat_interval: positiveDuration('repeat_interval', 90 * day).optional(),
    send_resolved: z.boolean({ error: expecting('true or false') }).optional(),
    get routes() {
      return z.array(routeSchema, { error: expecting('a list of routes') }).optional();
    },
  },
  'a route: a mapping with receiver, matchers, group_by, routes, …',
);

/** The keys this module adds to burnrate.yaml's top level; spread into the config schema's shape. */
export const routingSchema = {
  receivers: z.array(receiverSchema, { error: expecting('a list of receivers') }).optional(),
  route: routeSchema.optional(),
};

export type ReceiverWire = z.infer<typeof receiverSchema>;

export interface RoutingWire {
  receivers?: ReceiverWire[] | undefined;
  route?: RouteWire | undefined;
}
