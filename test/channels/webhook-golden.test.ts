import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { webhookPayload } from '../../src/channels/webhook-payload.js';
import { escalationNotification, pageNotification, resolveNotification } from '../render/fixtures.js';

// Reviewed like code. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/channels/webhook-golden.test.ts
const goldenDir = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const page = pageNotification();
const goldens: Record<string, () => string> = {
  'page.webhook.json': () => pretty(webhookPayload(page, page.id)),
  'resolved.webhook.json': () => pretty(webhookPayload(resolveNotification(), page.id)),
  'escalated.webhook.json': () => pretty(webhookPayload(escalationNotification(), 'ntf-20260314-0210-41b0')),
};

describe('webhook payload golden files', () => {
  test.each(Object.keys(goldens))('%s matches byte for byte', (name) => {
    const rendered = goldens[name]!();
    const file = `${goldenDir}${name}`;
    if (update) writeFileSync(file, rendered);
    expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });
});
