import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { receiverConfigText } from '../support/alerting-app.js';
import { startFakePagerDuty, type FakePagerDuty } from '../support/fake-pagerduty.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/**
 * `burnrate test-receiver NAME`: a marked test page, then its resolve, through the receiver's real integrations
 * (local servers speaking Slack's, SMTP's and PagerDuty's wire formats), and each answer printed.
 */
let slack: FakeSlack;
let smtp: SmtpSink;
let pagerduty: FakePagerDuty;
let dir: string;
let config: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  pagerduty = await startFakePagerDuty();
  dir = mkdtempSync(join(tmpdir(), 'burnrate-test-receiver-'));
  config = join(dir, 'burnrate.yaml');
  writeFileSync(
    config,
    receiverConfigText(`    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "${slack.url}"}
    email:
      to: [oncall-payments@example.com]
      from: burnrate@example.com
      smtp: {host: 127.0.0.1, port: ${smtp.port}, tls: none}
    pagerduty: {routingKeyEnv: PD_KEY, url: "${pagerduty.url}"}`),
  );
});

afterAll(async () => {
  await slack?.close();
  await smtp?.close();
  await pagerduty?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { SLACK_TOKEN: slack.token, PD_KEY: pagerduty.routingKey } };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

describe('burnrate test-receiver', () => {
  it('sends a marked test page and its resolve through every integration of the receiver, and prints what each answered', async () => {
    const result = await cli(['test-receiver', 'payments', '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => / test page delivered: /.test(l)).map((l) => l.split(':')[0])).toEqual(['payments/slack', 'payments/email', 'payments/pagerduty']);
    expect(lines.filter((l) => / its resolve delivered: /.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toBe('3 of 3 integrations of payments took the test page');

    // Slack: one message, updated to resolved; it says it is a test.
    const [message] = slack.topLevel('#payments-oncall');
    expect(JSON.stringify(message!.history[0])).toContain('TEST page sent by');
    expect(message!.history).toHaveLength(1);
    // Email: the page and its resolve, threaded.
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[0]!.subject).toContain('burnrate-test-page');
    expect(smtp.messages[1]!.inReplyTo).toBe(smtp.messages[0]!.messageId);
    // PagerDuty: one incident, opened and resolved by the same dedup_key.
    expect(pagerduty.alerts.map((a) => a.status)).toEqual(['resolved']);
    expect(pagerduty.events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
  });

  it('reports an integration that refuses, with the error and whether a retry could help; exit 2', async () => {
    slack.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const result = await cli(['test-receiver', 'payments', '--config', config, '--no-resolve']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^payments\/slack: test page NOT delivered: rejected \(permanent\): .*channel_not_found/m);
    expect(result.stdout).toMatch(/^payments\/email: test page delivered: /m);
    expect(result.stdout).not.toMatch(/its resolve/);
    expect(result.stdout).toContain('2 of 3 integrations of payments took the test page');
  });

  it('names the receivers there are when asked for one that is not', async () => {
    const result = await cli(['test-receiver', 'nope', '--config', config]);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/no receiver "nope" in .*burnrate\.yaml \(receivers: payments\)/);
  });
});
