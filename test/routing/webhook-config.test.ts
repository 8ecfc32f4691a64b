import { describe, expect, it } from 'vitest';
import { parseRoutingText } from '../../src/routing/load-routing.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

const env = { WEBHOOK_SECRET: 'whsec-1', WEBHOOK_AUTH: 'Bearer t0k3n' };
const diagnose = (text: string, withEnv: Record<string, string> = env) => parseRoutingText(text, 'burnrate.yaml', withEnv).diagnostics.map(formatDiagnostic);
const receiver = (webhook: string) => `receivers:\n  - name: hooks\n    webhook: ${webhook}\nroute: {receiver: hooks}\n`;

describe('receivers[].webhook', () => {
  it('maps url, the secret and header values from the environment, plain headers, timeout and maxAttempts', () => {
    const { config, diagnostics } = parseRoutingText(
      receiver('{url: "https://hooks.example.com/burnrate", secretEnv: WEBHOOK_SECRET, headers: {X-Team: payments}, headersEnv: {Authorization: WEBHOOK_AUTH}, timeout: 5s, maxAttempts: 12}'),
      'burnrate.yaml',
      env,
    );
    expect(diagnostics).toEqual([]);
    expect(config?.receivers.get('hooks')?.webhook).toEqual({
      url: 'https://hooks.example.com/burnrate',
      secret: 'whsec-1',
      headers: { 'X-Team': 'payments', Authorization: 'Bearer t0k3n' },
      timeout: 5,
      maxAttempts: 12,
    });
  });

  it('timeout and maxAttempts default to the delivery settings (undefined here)', () => {
    const { config } = parseRoutingText(receiver('{url: "http://127.0.0.1:9/", secretEnv: WEBHOOK_SECRET}'), 'burnrate.yaml', env);
    expect(config?.receivers.get('hooks')?.webhook).toEqual({ url: 'http://127.0.0.1:9/', secret: 'whsec-1', headers: {}, timeout: undefined, maxAttempts: undefined });
  });

  const bad: Array<[string, string, Record<string, string>, RegExp]> = [
    ['a literal secret', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, secret: s3cr3t}', env, /receivers\[0\]\.webhook\.secret: a literal secret does not belong in the config file: .*secretEnv: WEBHOOK_SECRET/],
    ['no secretEnv', '{url: "https://h.example/"}', env, /receivers\[0\]\.webhook\.secretEnv/],
    ['the secret variable unset', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET}', {}, /environment variable WEBHOOK_SECRET is not set: it holds the webhook signing secret of receiver "hooks"/],
    ['a header variable unset', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, headersEnv: {Authorization: NOPE}}', env, /environment variable NOPE is not set: it holds the webhook Authorization header/],
    ['a literal Authorization header', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, headers: {Authorization: "Bearer x"}}', env, /a literal Authorization header looks like a secret .* headersEnv: \{Authorization: WEBHOOK_AUTHORIZATION\}/],
    ['a literal API key header', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, headers: {X-Api-Key: abc}}', env, /a literal X-Api-Key header looks like a secret/],
    ['a header burnrate sets', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, headers: {Idempotency-Key: x}}', env, /Idempotency-Key is set by burnrate itself/],
    ['credentials in the url', '{url: "https://user:pw@h.example/", secretEnv: WEBHOOK_SECRET}', env, /credentials do not belong in the url/],
    ['a non-http url', '{url: "ftp://h.example/", secretEnv: WEBHOOK_SECRET}', env, /expected an http\(s\) URL/],
    ['a zero maxAttempts', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, maxAttempts: 0}', env, /maxAttempts/],
    ['a timeout over 2m', '{url: "https://h.example/", secretEnv: WEBHOOK_SECRET, timeout: 5m}', env, /webhook\.timeout/],
  ];
  it.each(bad)('refuses %s', (_what, webhook, withEnv, message) => {
    const diagnostics = diagnose(receiver(webhook), withEnv);
    expect(diagnostics.join('\n')).toMatch(message);
  });
});
