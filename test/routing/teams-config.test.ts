import { describe, expect, it } from 'vitest';
import { routingPort } from '../../src/notify/routing-adapter.js';
import { parseRoutingText } from '../../src/routing/load-routing.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

const url = 'https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cr3t';
const env = { TEAMS_WEBHOOK_URL: url };
const diagnose = (text: string, withEnv: Record<string, string> = env) => parseRoutingText(text, 'burnrate.yaml', withEnv).diagnostics.map(formatDiagnostic);
const receiver = (teams: string) => `receivers:\n  - name: payments\n    teams: ${teams}\nroute: {receiver: payments}\n`;

describe('receivers[].teams', () => {
  it('reads the Workflows URL from the environment; the receiver gets a teams integration', () => {
    const { config, diagnostics } = parseRoutingText(receiver('{urlEnv: TEAMS_WEBHOOK_URL}'), 'burnrate.yaml', env);
    expect(diagnostics).toEqual([]);
    expect(config?.receivers.get('payments')?.teams).toEqual({ url });
    expect(routingPort(config!).integrations('payments')).toEqual(['payments/teams']);
  });

  const bad: Array<[string, string, Record<string, string>, RegExp]> = [
    ['a literal url', `{urlEnv: TEAMS_WEBHOOK_URL, url: "${url}"}`, env, /receivers\[0\]\.teams\.url: a literal url does not belong in the config file: .*urlEnv: TEAMS_WEBHOOK_URL/],
    ['no urlEnv', '{}', env, /receivers\[0\]\.teams\.urlEnv/],
    ['the variable unset', '{urlEnv: TEAMS_WEBHOOK_URL}', {}, /environment variable TEAMS_WEBHOOK_URL is not set: it holds the Teams Workflows webhook URL of receiver "payments"/],
    ['a variable that holds no URL', '{urlEnv: TEAMS_WEBHOOK_URL}', { TEAMS_WEBHOOK_URL: 'not a url' }, /TEAMS_WEBHOOK_URL does not hold an http\(s\) URL/],
    ['an unknown field', '{urlEnv: TEAMS_WEBHOOK_URL, channel: general}', env, /allowed fields: urlEnv/],
  ];
  it.each(bad)('refuses %s', (_what, teams, withEnv, message) => {
    expect(diagnose(receiver(teams), withEnv).join('\n')).toMatch(message);
  });

  it('the error message of a literal url does not print the URL', () => {
    expect(diagnose(receiver(`{urlEnv: TEAMS_WEBHOOK_URL, url: "${url}"}`)).join('\n')).not.toContain('s3cr3t');
  });
});
