import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createRenderer } from '../../src/render/create-renderer.js';
import { pageNotification } from './fixtures.js';

test('a template in the override directory takes precedence; the others still come from the shipped set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-templates-'));
  mkdirSync(join(dir, 'email'));
  mkdirSync(join(dir, 'slack'));
  writeFileSync(join(dir, 'email', 'subject.txt.njk'), 'PAGE {{ n.title }} at {{ n.now | time }}');
  writeFileSync(join(dir, 'slack', 'fallback.mrkdwn.njk'), 'custom {{ n.alerts[0].description }}');
  const { renderEmail, renderSlack } = createRenderer({ templateDir: dir });
  const email = renderEmail(pageNotification(), false);
  expect(email.subject).toBe('PAGE checkout-availability at 2026-03-14T03:12:00Z');
  expect(email.text).toContain('What changed');
  const { message } = renderSlack(pageNotification(), false);
  expect(message.text).toBe('custom Checkout requests succeed (no 5xx responses).');
  expect(message.blocks[0]).toMatchObject({ text: { text: '🔴 FIRING · page · checkout-availability' } });
});

test('without an override the shipped templates are used', () => {
  expect(createRenderer().renderEmail(pageNotification(), false).subject).toBe(
    '[FIRING:page] checkout-availability — 62% budget left',
  );
});
