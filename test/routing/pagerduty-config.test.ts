import { describe, expect, it } from 'vitest';
import { parseRoutingText } from '../../src/routing/load-routing.js';
import { routingPort } from '../../src/notify/routing-adapter.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

const env = { PD_KEY: 'R0UT1NGKEY0000000000000000000001' };
const diagnose = (text: string, withEnv: Record<string, string> = env) => parseRoutingText(text, 'burnrate.yaml', withEnv).diagnostics.map(formatDiagnostic);
const receiver = (pagerduty: string) => `receivers:\n  - name: oncall\n    pagerduty: ${pagerduty}\nroute: {receiver: oncall}\n`;

describe('receivers[].pagerduty', () => {
  it('defaults: critical for a page, warning for a ticket, PagerDuty’s own URL, client burnrate; the key from the environment', () => {
    const { config, diagnostics } = parseRoutingText(receiver('{routingKeyEnv: PD_KEY}'), 'burnrate.yaml', env);
    expect(diagnostics).toEqual([]);
    expect(config?.receivers.get('oncall')?.pagerduty).toEqual({
      routingKey: env.PD_KEY,
      severity: { page: 'critical', ticket: 'warning' },
      url: 'https://events.pagerduty.com',
      client: 'burnrate',
    });
    expect(routingPort(config!).integrations('oncall')).toEqual(['oncall/pagerduty']);
  });

  it('maps a severity mapping, a URL (trailing slash dropped) and a client', () => {
    const { config } = parseRoutingText(receiver('{routingKeyEnv: PD_KEY, severity: {ticket: info}, url: "http://127.0.0.1:9/", client: acme-slo}'), 'burnrate.yaml', env);
    expect(config?.receivers.get('oncall')?.pagerduty).toMatchObject({ severity: { page: 'critical', ticket: 'info' }, url: 'http://127.0.0.1:9', client: 'acme-slo' });
  });

  const bad: Array<[string, string, Record<string, string>, RegExp]> = [
    ['a literal routing key', '{routingKeyEnv: PD_KEY, routingKey: abc}', env, /receivers\[0\]\.pagerduty\.routingKey: a literal routingKey does not belong in the config file: .*routingKeyEnv: PAGERDUTY_ROUTING_KEY/],
    ['no routingKeyEnv', '{url: "https://events.pagerduty.com"}', env, /receivers\[0\]\.pagerduty\.routingKeyEnv/],
    ['the key variable unset', '{routingKeyEnv: PD_KEY}', {}, /environment variable PD_KEY is not set: it holds the PagerDuty routing key of receiver "oncall"/],
    ['an unknown severity', '{routingKeyEnv: PD_KEY, severity: {page: sev1}}', env, /receivers\[0\]\.pagerduty\.severity\.page: .*critical, error, warning, info/],
    ['an unknown field', '{routingKeyEnv: PD_KEY, service: x}', env, /allowed fields: routingKeyEnv, severity, url, client$/],
  ];
  it.each(bad)('refuses %s', (_what, pagerduty, withEnv, message) => {
    expect(diagnose(receiver(pagerduty), withEnv)).toEqual([expect.stringMatching(message)]);
  });
});
