import type { Notification } from '../notify/notification.js';
import type { EmailRendering, RenderEmail } from '../notify/rendering.js';
import { markdownToHtml } from '../runbooks/markdown-to-html.js';
import { cutAtBoundary } from '../runbooks/trim.js';
import { runbookEmailStyles } from './email-styles.js';
import { clampLine, tidy } from './slack-limits.js';
import { trusted, type Templates } from './templates.js';
import { buildView, type AlertView, type NotificationView } from './view-model.js';

export interface EmailRenderOptions {
  /** Characters of runbook Markdown shown for a single alert and per alert in a group. */
  runbookChars?: { single: number; group: number };
}

const subjectLimit = 200;

export function emailRenderer(templates: Templates, options: EmailRenderOptions = {}): RenderEmail {
  const runbookChars = options.runbookChars ?? { single: 20_000, group: 4_000 };
  return (notification: Notification, isReply: boolean): EmailRendering => {
    const n = buildView(notification);
    const limit = n.single ? runbookChars.single : runbookChars.group;
    const subject = clampLine(templates.render('email/subject.txt.njk', { n }), subjectLimit);
    const preheader = preheaderOf(n);
    const text = `${tidy(templates.render('email/body.txt.njk', { n: withRunbooks(n, limit, 'text'), isReply }))}\n`;
    const html = `${tidyHtml(
      templates.render('email/body.html.njk', { n: withRunbooks(n, limit, 'html'), isReply, subject, preheader }),
    )}\n`;
    return { subject, text, html };
  };
}

/** The runbook body per alert, trimmed to the channel's limit: Markdown for text, trusted HTML for html. */
function withRunbooks(n: NotificationView, limit: number, form: 'text' | 'html'): Record<string, unknown> {
  const alerts = n.alerts.map((alert: AlertView) => {
    if (!alert.runbook) return alert;
    const { text: markdown, cut } = cutAtBoundary(alert.runbook.markdown.trim(), limit);
    const body = form === 'html' ? trusted(markdownToHtml(markdown, runbookEmailStyles)) : markdown;
    return { ...alert, runbook: { ...alert.runbook, [form === 'html' ? 'html' : 'body']: body, cut } };
  });
  return { ...n, alerts };
}

/** The line mail clients show after the subject. */
function preheaderOf(n: NotificationView): string {
  const first = n.alerts[0];
  if (!first) return '';
  const deploy = first.deploy.found
    ? `Deploy of ${first.deploy.service}${first.deploy.version ? ` ${first.deploy.version}` : ''} preceded the burn.`
    : 'No deploy preceded the burn.';
  return n.single ? `${first.description} ${deploy}` : `${n.firingCount} firing, ${n.resolvedCount} resolved.`;
}

function tidyHtml(html: string): string {
  return html
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}
