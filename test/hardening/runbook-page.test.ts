import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingApp, alertingConfigText, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

/**
 * The page of an SLO whose runbook is a link to /etc/passwd (planted after validation): it still goes out on
 * Slack and by email, says the runbook could not be read and why, and carries nothing of the file.
 */
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;
const runbooks = mkdtempSync(join(tmpdir(), 'burnrate-runbook-page-'));
symlinkSync('/etc/passwd', join(runbooks, 'checkout-availability.md'));
const passwdLines = readFileSync('/etc/passwd', 'utf8').split('\n').filter((line) => line.length > 8);

let slack: FakeSlack;
let smtp: SmtpSink;
let h: AlertingApp;

beforeAll(async () => {
  slack = await startFakeSlack();
  smtp = await startSmtpSink();
  const configText = alertingConfigText(slack, smtp).replace(/^runbooks: .*$/m, `runbooks: ${runbooks}`);
  h = alertingApp({
    start: t0 - 1,
    configText,
    env: { SLACK_TOKEN: slack.token },
    traffic: { rate: 20, episodes: [{ slo: 'checkout-availability', from: burnStart, to: burnStart + 600, ratio: 1 }] },
  });
  await h.runUntil(burnStart + 300);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await slack?.close();
  await smtp?.close();
  rmSync(runbooks, { recursive: true, force: true });
});

describe('a page whose runbook is a link out of the runbook directory', () => {
  it('goes out on Slack, saying the runbook could not be read and why, without the linked file', () => {
    const [page] = slack.topLevel('#payments-oncall');
    expect(page).toBeDefined();
    const everything = JSON.stringify(page);
    expect(everything).toContain('could not be read');
    expect(everything).toContain('symbolic link that points outside the runbook directory');
    expect(passwdLines.length).toBeGreaterThan(0);
    for (const line of passwdLines) expect(everything).not.toContain(line);
  });

  it('goes out by email with the same statement and nothing of the file', () => {
    const [email] = smtp.messages;
    expect(email).toBeDefined();
    expect(email!.subject).toMatch(/FIRING.*checkout-availability/);
    expect(email!.text).toContain('symbolic link that points outside the runbook directory');
    for (const line of passwdLines) {
      expect(email!.text).not.toContain(line);
      expect(email!.html).not.toContain(line);
    }
  });
});
