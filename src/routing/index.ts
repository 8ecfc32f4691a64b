export { formatMatcher, matches, matchesAll, matchesEmpty, MatcherSyntaxError, parseMatcher, type Matcher, type MatchType } from './matcher.js';
export { matchRoutes } from './match-routes.js';
export { groupKey, groupLabels } from './group-key.js';
export type { EmailTarget, GroupBy, Receiver, RouteNode, RoutingConfig, SlackTarget, SmtpTls } from './routing-model.js';
export { routingSchema, type RoutingWire } from './routing-schema.js';
export { routingFindings, type Env } from './routing-rules.js';
export { RoutingConfigError, toRoutingConfig } from './to-routing-config.js';
export { parseRoutingText, placeFindings } from './load-routing.js';
