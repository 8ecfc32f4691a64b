import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'burnrate-validate-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, 'burnrate.yaml');
writeFileSync(
  config,
  [
    `slos: ${join(fixtures, 'good')}`,
    `runbooks: ${join(fixtures, 'runbooks')}`,
    `database: ${join(dir, 'burnrate.db')}`,
    'receivers:',
    '  - name: oncall',
    '    slack: {channel: "#oncall", tokenEnv: SLACK_TOKEN}',
    '  - name: mail',
    '    email: {to: [a@example.com], from: b@example.com, smtp: {host: smtp.example.com, user: burnrate, passwordEnv: SMTP_PASSWORD}}',
    'route: {receiver: oncall}',
    'api:',
    '  tokens: [{name: ci, tokenEnv: BURNRATE_CI_TOKEN, scopes: [read]}]',
    '',
  ].join('\n'),
);

describe('validate --config checks files, not the environment', () => {
  it('passes with none of the secrets set and names the variables a daemon will need', async () => {
    const result = await runCli(['validate', '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(-3)).toEqual([
      '7 valid SLOs, 0 errors, 0 warnings',
      'note: the daemon needs SLACK_TOKEN (receivers[0].slack.tokenEnv), SMTP_PASSWORD (receivers[1].email.smtp.passwordEnv), BURNRATE_CI_TOKEN (api.tokens[0].tokenEnv)',
      '',
    ]);
    expect(result.code).toBe(0);
  });

  it('still reports what is wrong in the file itself', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'receivers:\n  - name: oncall\n    slack: {channel: "#oncall", tokenEnv: SLACK_TOKEN}\nroute: {receiver: pager}\n');
    const result = await runCli(['validate', '--config', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:4:19 route\.receiver: receiver "pager" is not defined/);
    expect(result.stderr).not.toMatch(/SLACK_TOKEN/);
  });

  it('names the variables of PagerDuty, Teams and webhook receivers too', async () => {
    const receivers = join(dir, 'receivers.yaml');
    writeFileSync(
      receivers,
      [
        `slos: ${join(fixtures, 'good')}`,
        `runbooks: ${join(fixtures, 'runbooks')}`,
        'receivers:',
        '  - name: pager',
        '    pagerduty: {routingKeyEnv: PD_ROUTING_KEY}',
        '    teams: {urlEnv: TEAMS_URL}',
        '    webhook: {url: "https://hooks.example.com/burnrate", secretEnv: HOOK_SECRET, headersEnv: {Authorization: HOOK_AUTH}}',
        'route: {receiver: pager}',
        '',
      ].join('\n'),
    );
    const result = await runCli(['validate', '--config', receivers]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').at(-2)).toBe(
      'note: the daemon needs PD_ROUTING_KEY (receivers[0].pagerduty.routingKeyEnv), TEAMS_URL (receivers[0].teams.urlEnv), HOOK_SECRET (receivers[0].webhook.secretEnv), HOOK_AUTH (receivers[0].webhook.headersEnv.Authorization)',
    );
  });

  it('a file with no secrets prints no note', async () => {
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, `slos: ${join(fixtures, 'good')}\nrunbooks: ${join(fixtures, 'runbooks')}\n`);
    const result = await runCli(['validate', '--config', plain]);
    expect(result.stdout).toBe('7 valid SLOs, 0 errors, 0 warnings\n');
  });

  it.each([['eval'], ['run'], ['report']])('%s still requires them, naming the variable and the line of its field', async (command) => {
    const result = await runCli([command, '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/burnrate\.yaml:6:43 receivers\[0\]\.slack\.tokenEnv: environment variable SLACK_TOKEN is not set/);
    expect(result.stderr).toMatch(/burnrate\.yaml:11:33 api\.tokens\[0\]\.tokenEnv: environment variable BURNRATE_CI_TOKEN \(token "ci"\) is not set/);
  });
});
