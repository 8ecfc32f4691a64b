import type { Notification } from '../notify/notification.js';
import type { RenderSlack, SlackMessage, SlackRendering } from '../notify/rendering.js';
import { markdownToMrkdwn } from '../runbooks/markdown-to-mrkdwn.js';
import { mrkdwnSections, trimMrkdwn } from '../runbooks/trim.js';
import {
  clampLine,
  contextBlock,
  dividerBlock,
  headerBlock,
  sectionBlock,
  slackLimits,
  tidy,
} from './slack-limits.js';
import type { Templates } from './templates.js';
import { buildView, type AlertView, type NotificationView } from './view-model.js';

type Block = Record<string, unknown>;

export interface SlackRenderOptions {
  /** Runbook shown: up to `sections` sections for a single alert, `groupChars` characters per alert in a group. */
  runbook?: { sections: number; groupChars: number };
  /** Alerts listed one by one in a thread reply before the rest are counted. */
  replyAlerts?: number;
}

const fallbackLimit = 500;

export function slackRenderer(templates: Templates, options: SlackRenderOptions = {}): RenderSlack {
  const runbookLimits = options.runbook ?? { sections: 2, groupChars: 1200 };
  const replyAlerts = options.replyAlerts ?? 20;
  const text = (name: string, context: Record<string, unknown>) => tidy(templates.render(`slack/${name}`, context));

  // The escalation note sits right under the header: it is the news of the update.
  const heading = (n: NotificationView): Block[] => [
    headerBlock(text('header.txt.njk', { n })),
    ...(n.escalation ? [sectionBlock(text('escalation.mrkdwn.njk', { n }))] : []),
  ];

  const single = (n: NotificationView, alert: AlertView): Block[] => {
    const context = { n, alert };
    const blocks: Block[] = heading(n);
    for (const name of ['summary', 'deploy', 'burn-rates', 'links']) {
      const body = text(`${name}.mrkdwn.njk`, context);
      if (body !== '') blocks.push(sectionBlock(body));
    }
    if (alert.runbook) {
      blocks.push(dividerBlock, sectionBlock(text('runbook-title.mrkdwn.njk', context)));
      // A resolved alert links its runbook; the body is for someone still fixing things.
      if (alert.state !== 'resolved') {
        const { markdown, url, path } = alert.runbook;
        const pieces = mrkdwnSections(markdownToMrkdwn(markdown), slackLimits.sectionText, runbookLimits.sections, url, path);
        for (const piece of pieces) blocks.push(sectionBlock(piece));
      }
    }
    blocks.push(dividerBlock, contextBlock(text('footer.mrkdwn.njk', { n })));
    return blocks.slice(0, slackLimits.blocks);
  };

  const group = (n: NotificationView): Block[] => {
    const head: Block[] = [...heading(n), sectionBlock(text('group-intro.mrkdwn.njk', { n }))];
    const tail: Block[] = [contextBlock(text('footer.mrkdwn.njk', { n }))];
    const room = slackLimits.blocks - head.length - tail.length - 1; // one block for the overflow summary
    const body: Block[] = [];
    const runbookShownFor = new Map<string, string>();
    let listed = 0;
    for (const alert of n.alerts) {
      const context = { n, alert };
      const blocks: Block[] = [dividerBlock];
      const links = text('links.mrkdwn.njk', context);
      const main = text('group-alert.mrkdwn.njk', context);
      blocks.push(sectionBlock(links === '' ? main : `${main}\n${links}`));
      if (alert.runbook) {
        const title = text('runbook-title.mrkdwn.njk', context);
        const earlier = runbookShownFor.get(alert.runbook.path);
        if (earlier !== undefined) {
          blocks.push(contextBlock(`${title}\nSame runbook as *${earlier}* above.`));
        } else if (alert.state === 'resolved') {
          blocks.push(contextBlock(title));
        } else {
          blocks.push(sectionBlock(`${title}\n${runbookMrkdwn(alert, runbookLimits.groupChars)}`));
        }
      }
      if (body.length + blocks.length > room) break;
      if (alert.runbook && !runbookShownFor.has(alert.runbook.path) && alert.state !== 'resolved') {
        runbookShownFor.set(alert.runbook.path, alert.name);
      }
      body.push(...blocks);
      listed += 1;
    }
    const rest = n.alerts.slice(listed);
    if (rest.length > 0) body.push(dividerBlock, sectionBlock(text('overflow.mrkdwn.njk', { n, rest })));
    // The divider before the overflow may not fit: drop it rather than the summary.
    const blocks = [...head, ...body, ...tail];
    return blocks.length <= slackLimits.blocks ? blocks : [...head, ...body.filter((b) => b !== dividerBlock), ...tail];
  };

  const fallback = (n: NotificationView) => clampLine(text('fallback.mrkdwn.njk', { n }), fallbackLimit);

  return (notification: Notification, threaded: boolean): SlackRendering => {
    const n = buildView(notification);
    const only = n.alerts[0];
    const message: SlackMessage = {
      text: fallback(n),
      blocks: n.single && only ? single(n, only) : group(n),
    };
    if (!threaded) return { message, reply: null };
    const shown = n.alerts.slice(0, replyAlerts);
    const replyText = n.escalation ? text('escalation.mrkdwn.njk', { n }) : text('reply.mrkdwn.njk', { n, shown, hidden: n.alerts.length - shown.length });
    return { message, reply: { text: fallback(n), blocks: [sectionBlock(replyText)] } };
  };
}

function runbookMrkdwn(alert: AlertView, limit: number): string {
  const runbook = alert.runbook;
  if (!runbook) return '';
  return trimMrkdwn(markdownToMrkdwn(runbook.markdown), limit, runbook.url, runbook.path);
}
