import { Session } from 'node:inspector/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { alertingApp, checkoutSlo, type AlertingApp } from '../support/alerting-app.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

/**
 * How many files of src/ a reader passes through from the scheduler's tick to the Slack message of a page: the
 * files with code that ran between the two (V8's precise coverage, counters reset just before the tick that fires
 * the page), with a Slack receiver alone: 82 files in the pipeline of stages and named jobs (66 before them, with
 * fewer and longer files and three returns into app.ts). A budget, so the path stays short as receivers are added.
 * One more since pages show the budget each recent deploy has cost (engine/deploy-costs.ts): a concept of its own.
 */
const budget = 86;
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;
const burnStart = t0 + 600;

const configText = (slack: FakeSlack): string => `
runbooks: ${resolve(root, 'runbooks')}
receivers:
  - name: payments
    slack: {channel: "#payments-oncall", tokenEnv: SLACK_TOKEN, apiUrl: "${slack.url}"}
route:
  receiver: payments
  group_by: [slo]
  group_wait: 0s
  group_interval: 5m
  repeat_interval: 4h
`;

/** src/ files (relative to the repository) with a function that ran since the last call. */
async function filesRun(session: Session): Promise<string[]> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const files = new Set<string>();
  for (const script of result) {
    if (!script.functions.some((fn) => fn.ranges.some((range) => range.count > 0))) continue;
    const path = script.url.startsWith('file://') ? fileURLToPath(script.url) : script.url;
    const file = relative(root, path.split('?')[0]!);
    if (file.startsWith('src/')) files.add(file);
  }
  return [...files].sort();
}

describe('files on the path from a tick to a Slack page', () => {
  let slack: FakeSlack;
  let h: AlertingApp;
  afterAll(async () => {
    await h?.close();
    await slack?.close();
  });

  test(`at most ${budget} files of src/`, async () => {
    slack = await startFakeSlack();
    const slo = checkoutSlo();
    h = alertingApp({
      start: t0 - 1,
      slos: [slo],
      configText: configText(slack),
      env: { SLACK_TOKEN: slack.token },
      traffic: { rate: 20, since: t0 - 86_400, episodes: [{ slo: slo.name, from: burnStart, to: burnStart + 3600, ratio: 1 }] },
    });
    // Quiet until the minute before the burn is seen: every module the path needs is loaded and warm.
    await h.runUntil(burnStart);
    expect(slack.messages).toHaveLength(0);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await filesRun(session);
    let files: string[] = [];
    for (let now = burnStart + 1; slack.messages.length === 0 && now <= burnStart + 600; now += 1) {
      h.clock.set(now);
      if (now % 60 === 0) await h.app.tick();
      await h.app.notifyTick();
    }
    files = await filesRun(session);
    await session.post('Profiler.stopPreciseCoverage');
    session.disconnect();
    console.log(`${files.length} files of src/ from the tick to the Slack page:\n${files.join('\n')}`);
    expect(slack.messages).toHaveLength(1);
    expect(files.length).toBeLessThanOrEqual(budget);
  }, 120_000);
});
