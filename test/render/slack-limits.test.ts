import { describe, expect, test } from 'vitest';
import type { SlackMessage } from '../../src/notify/rendering.js';
import { createRenderer } from '../../src/render/create-renderer.js';
import { slackLimits } from '../../src/render/slack-limits.js';
import { bigGroup, checkoutDetail, checkoutSlo, pageNotification } from './fixtures.js';

const { renderSlack } = createRenderer();

function texts(message: SlackMessage): { sections: string[]; headers: string[]; contexts: string[] } {
  const sections: string[] = [];
  const headers: string[] = [];
  const contexts: string[] = [];
  for (const block of message.blocks) {
    if (block.type === 'section') sections.push((block.text as { text: string }).text);
    if (block.type === 'header') headers.push((block.text as { text: string }).text);
    if (block.type === 'context') contexts.push(...(block.elements as Array<{ text: string }>).map((e) => e.text));
  }
  return { sections, headers, contexts };
}

function expectWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
  expect(message.text.trim()).not.toBe('');
  expect(message.text.length).toBeLessThanOrEqual(slackLimits.fallbackText);
  const { sections, headers, contexts } = texts(message);
  for (const text of [...sections, ...contexts]) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(slackLimits.sectionText);
  }
  for (const text of headers) expect(text.length).toBeLessThanOrEqual(slackLimits.headerText);
}

describe('Slack limits', () => {
  test('a group of 60 alerts stays within Block Kit limits and summarises the overflow', () => {
    const { message, reply } = renderSlack(bigGroup(60), true);
    expectWithinLimits(message);
    expectWithinLimits(reply!);
    const { sections, headers } = texts(message);
    expect(headers[0]).toBe('🔴 FIRING · page · 60 SLOs of team payments');
    const overflow = sections.find((text) => text.startsWith('*…and '));
    expect(overflow).toMatch(/^\*…and \d+ more SLOs:\*/);
    const listed = Number(/^\*…and (\d+)/.exec(overflow!)?.[1]);
    const shown = sections.filter((text) => /^(🔴|🟠|✅) \*service-/.test(text)).length;
    expect(shown + listed).toBe(60);
    expect(message.text).toBe('[FIRING] 60 SLOs of team payments: 45 firing, 15 resolved (service-58-availability, service-56-availability, service-53-availability, …)');
  });

  test('a mention in an SLO description is escaped, never a ping', () => {
    const { message } = renderSlack(bigGroup(2), false);
    const all = JSON.stringify(message);
    expect(all).not.toContain('<!here>');
    expect(all).toContain('&lt;!here&gt;');
  });

  test('firing alerts come first in a group', () => {
    const { message } = renderSlack(bigGroup(8), false);
    const order = texts(message).sections.flatMap((text) => /^(🔴|🟠|✅) \*(service-\d+)/.exec(text)?.slice(1, 2) ?? []);
    const firstResolved = order.indexOf('✅');
    expect(firstResolved).toBeGreaterThan(0);
    expect(order.slice(firstResolved).every((emoji) => emoji === '✅')).toBe(true);
  });

  test('a long SLO name is cut to fit the header', () => {
    const name = `a-${'very-'.repeat(60)}long-slo`;
    const detail = checkoutDetail('firing', { slo: { ...checkoutSlo, name } });
    const { message } = renderSlack(pageNotification([detail]), false);
    expectWithinLimits(message);
    expect(texts(message).headers[0]).toMatch(/^🔴 FIRING · page · a-very-.*…$/);
  });

  test('a runbook longer than a section is split over sections and trimmed with a link', () => {
    const long = Array.from({ length: 300 }, (_, i) => `- step ${i}: check the thing and write it down`).join('\n');
    const base = checkoutDetail('firing');
    const detail = checkoutDetail('firing', { runbook: { ...base.runbook!, markdown: long } });
    const { message } = renderSlack(pageNotification([detail]), false);
    expectWithinLimits(message);
    const runbookSections = texts(message).sections.filter((text) => text.startsWith('• step'));
    expect(runbookSections.length).toBe(2);
    expect(runbookSections[1]).toMatch(/\n… <https:\/\/github\.com\/acme\/slo-config\/blob\/main\/runbooks\/checkout-availability\.md\|full runbook>$/);
  });

  test('an unthreaded notification has no reply; a threaded one replies briefly', () => {
    expect(renderSlack(pageNotification(), false).reply).toBeNull();
    const { reply } = renderSlack(pageNotification(), true);
    expect(reply!.blocks).toHaveLength(1);
    expect(texts(reply!).sections[0]).toBe('🔴 *Still firing* after 7m · 62% of the budget left · burning 16×');
  });
});
