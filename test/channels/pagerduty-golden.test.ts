import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { pagerDutyEvent } from '../../src/channels/pagerduty-event.js';
import { pagerDutyDefaults } from '../../src/routing/routing-model.js';
import { pageNotification, resolveNotification } from '../render/fixtures.js';

// Reviewed like code. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/channels/pagerduty-golden.test.ts
const goldenDir = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const target = { routingKey: 'R0UT1NGKEYBURNRATEGOLDEN00000001', severity: pagerDutyDefaults.severity, client: pagerDutyDefaults.client };
const incident = pageNotification().id;

const goldenOutputs: Record<string, () => string> = {
  'page.pagerduty.json': () => `${JSON.stringify(pagerDutyEvent(pageNotification(), incident, target), null, 2)}\n`,
  'resolved.pagerduty.json': () => `${JSON.stringify(pagerDutyEvent(resolveNotification(), incident, target), null, 2)}\n`,
};

describe('PagerDuty golden events', () => {
  test.each(Object.keys(goldenOutputs))('%s matches byte for byte', (name) => {
    const rendered = goldenOutputs[name]!();
    const file = `${goldenDir}${name}`;
    if (update) writeFileSync(file, rendered);
    expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });
});
