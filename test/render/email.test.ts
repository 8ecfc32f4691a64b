import { describe, expect, test } from 'vitest';
import { createRenderer } from '../../src/render/create-renderer.js';
import { bigGroup, checkoutDetail, checkoutSlo, firingFigures, pageNotification, resolveNotification } from './fixtures.js';

const { renderEmail, renderSlack } = createRenderer();

describe('email subject', () => {
  test.each([
    ['a firing page', pageNotification(), '[FIRING:page] checkout-availability — 62% budget left'],
    ['its resolve', resolveNotification(), '[RESOLVED:page] checkout-availability — 60% budget left'],
    ['a group of several SLOs', bigGroup(3), '[FIRING:page] 3 SLOs of team payments'],
    [
      'an alert about missing data',
      pageNotification([
        checkoutDetail('firing', {
          alert: { ...checkoutDetail('firing').alert, kind: 'no_data' },
        }),
      ]),
      '[FIRING:page] checkout-availability — no data since 2026-03-14T03:02:30Z',
    ],
  ])('%s', (_name, notification, subject) => {
    expect(renderEmail(notification, false).subject).toBe(subject);
  });

  test('a newline in an SLO name cannot add a header', () => {
    const detail = checkoutDetail('firing', { slo: { ...checkoutSlo, name: 'x\r\nBcc: evil@example.com' } });
    expect(renderEmail(pageNotification([detail]), false).subject).not.toMatch(/[\r\n]/);
  });
});

describe('escaping', () => {
  const hostile = checkoutDetail('firing', {
    slo: { ...checkoutSlo, description: 'Checkout <script>alert("x")</script> & more' },
    runbook: {
      path: 'evil.md',
      url: 'javascript:alert(1)',
      meta: { owner: '<b>team</b>' },
      markdown: 'Raw <img src=x onerror=alert(1)> and <script>steal()</script>\n\n[bad](javascript:alert(2))',
    },
    links: { dashboard: 'javascript:alert(3)', query: 'https://ok.example/q?a=1&b=2' },
  });
  const email = renderEmail(pageNotification([hostile]), false);

  test('values and runbook HTML appear as text in the HTML email', () => {
    expect(email.html).toContain('Checkout &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(email.html).toContain('Raw &lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;steal()&lt;/script&gt;');
    expect(email.html).toContain('&lt;b&gt;team&lt;/b&gt;');
    expect(email.html).not.toMatch(/<script|<img|javascript:alert\([123]\)"|href="javascript/i);
    expect(email.html).toContain('href="https://ok.example/q?a=1&amp;b=2"');
  });

  test('the text email carries the values as they are', () => {
    expect(email.text).toContain('Checkout <script>alert("x")</script> & more');
    expect(email.text).not.toContain('javascript:alert(3)');
  });

  test('Slack text escapes the same values', () => {
    const all = JSON.stringify(renderSlack(pageNotification([hostile]), false));
    expect(all).toContain('Checkout &lt;script&gt;alert(\\"x\\")&lt;/script&gt; &amp; more');
    expect(all).not.toContain('<script');
    expect(all).not.toContain('javascript:');
  });
});

describe('preceding deploy', () => {
  const noDeploy = checkoutDetail('firing', { deploy: { found: false, lookback: 24 * 3600 } });

  test('no deploy in the lookback is said in plain words in every channel', () => {
    const sentence = 'No deploy of checkout in the 24 h before the burn.';
    const email = renderEmail(pageNotification([noDeploy]), false);
    expect(email.text).toContain(sentence);
    expect(email.html).toContain(sentence);
    expect(JSON.stringify(renderSlack(pageNotification([noDeploy]), false).message)).toContain(sentence);
  });

  test('the lookback given is the one stated', () => {
    const detail = checkoutDetail('firing', { deploy: { found: false, lookback: 6 * 3600 } });
    expect(renderEmail(pageNotification([detail]), false).text).toContain('No deploy of checkout in the 6 h before the burn.');
  });

  test('a deploy names version, short commit, author and how long before the burn it landed', () => {
    const { text } = renderEmail(pageNotification(), false);
    expect(text).toContain(
      'Deploy of checkout v2.31.0 (3f9c2a1) by Dana Kim to production, landed 7m before the burn began (2026-03-14T02:55:10Z).',
    );
  });
});

describe('runbook', () => {
  test('a runbook missing at send time is stated and the page still renders', () => {
    const detail = checkoutDetail('firing', {
      runbook: { path: 'gone.md', url: null, meta: {}, markdown: '**The runbook file `gone.md` is missing.**' },
    });
    const notification = pageNotification([detail]);
    expect(renderEmail(notification, false).html).toContain('<strong>The runbook file <code');
    expect(JSON.stringify(renderSlack(notification, false).message)).toContain('*The runbook file `gone.md` is missing.*');
  });

  test('a long runbook is trimmed in email with a pointer to the rest', () => {
    const base = checkoutDetail('firing');
    const long = Array.from({ length: 2000 }, (_, i) => `Step ${i}: look at the graph.`).join('\n\n');
    const detail = checkoutDetail('firing', { runbook: { ...base.runbook!, markdown: long } });
    const email = renderEmail(pageNotification([detail]), false);
    expect(email.text).not.toContain('Step 1999');
    expect(email.text).toContain('The runbook continues: https://github.com/acme/slo-config/blob/main/runbooks/checkout-availability.md');
    expect(email.html).toContain('The runbook continues →');
  });
});

describe('a budget over less history than the SLO window', () => {
  // A service first seen 10 minutes ago, burning hard: −22977% alone would read as a disaster.
  const young = checkoutDetail('firing', { figures: { ...firingFigures, budgetRemaining: -229.77, budgetCoverage: 600 / (30 * 86_400) } });
  const notification = pageNotification([young]);

  test('says what it covers in the subject, both email bodies, the Slack message and its fallback text', () => {
    const email = renderEmail(notification, false);
    expect(email.subject).toBe('[FIRING:page] checkout-availability — -22977% budget left over 10m of 30d');
    expect(email.text).toMatch(/Budget left +-22977% of the 30d error budget \(over 10m of 30d\)/);
    expect(email.html).toContain('over 10m of 30d');
    const slack = renderSlack(notification, false).message;
    expect(JSON.stringify(slack.blocks)).toContain('of the 30d error budget left (over 10m of 30d)');
    expect(slack.text).toContain('left over 10m of 30d');
  });

  test('says nothing more once the history covers the window', () => {
    const full = pageNotification([checkoutDetail('firing', { figures: { ...firingFigures, budgetCoverage: 1 } })]);
    expect(renderEmail(full, false).subject).toBe('[FIRING:page] checkout-availability — 62% budget left');
    expect(JSON.stringify(renderSlack(full, false).message.blocks)).not.toContain(' of 30d');
  });
});
