import type { Notification } from '../notify/notification.js';
import type { RenderTeams, TeamsMessage, TeamsPageRef, TeamsRendering } from '../notify/rendering.js';
import { cutAtBoundary } from '../runbooks/trim.js';
import { formatAgo, formatBurnShort, formatInstant, formatLookback, formatObjective, formatPercent, formatSpan, formatWindow } from './format.js';
import { clampLine } from './slack-limits.js';
import { markdownToTeams, teamsLink, type TeamsPiece } from './teams-markdown.js';
import { buildView, type AlertView, type NotificationView } from './view-model.js';

/**
 * Microsoft Teams limits: a message of at most 28 KB (Teams answers 413 above it), measured here on the UTF-8
 * JSON body. Cards are kept to `budgetBytes`, well under it: Teams wraps the card in its own envelope before it
 * counts, and posts of about 21 KB are reported to fail in practice. Teams shows at most 6 actions in a row.
 */
export const teamsLimits = { messageBytes: 28 * 1024, budgetBytes: 20 * 1024, actions: 6 } as const;

export interface TeamsRenderOptions {
  /** The largest card body, in UTF-8 bytes of its JSON. Default {@link teamsLimits.budgetBytes}. */
  maxBytes?: number;
}

type Element = Record<string, unknown>;
type Action = { type: 'Action.OpenUrl'; title: string; url: string };

const textBlock = (text: string, extra: Element = {}): Element => ({ type: 'TextBlock', text, wrap: true, ...extra });
const factSet = (facts: Array<[string, string]>): Element => ({ type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value })) });
const bold = (text: string) => `**${text}**`;
/** Teams renders `**`, `_`, lists and links; stars and underscores of names would turn into emphasis. */
const literal = (text: string) => text.replace(/([*_[\]\\])/g, '\\$1');

/** An Adaptive Card 1.4 for a Teams Workflows webhook, with the content of the Slack page (same view model). */
export function teamsRenderer(options: TeamsRenderOptions = {}): RenderTeams {
  const budget = options.maxBytes ?? teamsLimits.budgetBytes;
  return (notification: Notification, page: TeamsPageRef | null): TeamsRendering => {
    const n = buildView(notification);
    const fired = n.alerts.map((a) => a.firedAt ?? a.activeAt).filter((at) => Number.isFinite(at));
    const self = { title: n.title, firedAt: fired.length > 0 ? Math.min(...fired) : null };
    const pieces = new Map<string, TeamsPiece[]>();
    for (const alert of n.alerts) if (alert.runbook && !pieces.has(alert.runbook.path)) pieces.set(alert.runbook.path, markdownToTeams(alert.runbook.markdown));
    const render = (runbookChars: number, shown: number) => {
      const message = card(n, page, pieces, runbookChars, shown);
      return { message, bytes: byteLength(message), page: self };
    };
    const longest = Math.max(0, ...[...pieces.values()].map((list) => list.reduce((sum, piece) => sum + piece.text.length, 0)));
    const whole = render(longest, n.alerts.length);
    if (whole.bytes <= budget) return whole;
    // The most runbook that fits (binary search on the characters shown per runbook), …
    if (render(0, n.alerts.length).bytes <= budget) {
      let [fits, over] = [0, longest];
      while (over - fits > 16) {
        const middle = Math.floor((fits + over) / 2);
        if (render(middle, n.alerts.length).bytes <= budget) fits = middle;
        else over = middle;
      }
      return render(fits, n.alerts.length);
    }
    // … else runbooks as links only, and as many alerts as fit, the rest named in one line.
    for (let shown = n.alerts.length - 1; shown > 0; shown -= Math.max(1, Math.floor(shown / 8))) {
      const rendering = render(0, shown);
      if (rendering.bytes <= budget) return rendering;
    }
    return render(0, 0);
  };
}

export const byteLength = (message: TeamsMessage): number => Buffer.byteLength(JSON.stringify(message), 'utf8');

function card(n: NotificationView, page: TeamsPageRef | null, pieces: ReadonlyMap<string, TeamsPiece[]>, runbookChars: number, shown: number): TeamsMessage {
  const body: Element[] = [textBlock(`${n.emoji} ${n.state} · ${n.severity} · ${literal(n.title)}`, { size: 'Large', weight: 'Bolder', color: headerColor(n) })];
  const naming = pageNote(n, page);
  if (naming !== null) body.push(textBlock(naming));
  if (n.escalation) body.push(textBlock(escalationNote(n)));
  if (!n.single) body.push(textBlock(groupIntro(n)));
  const runbookShownFor = new Map<string, string>();
  const alerts = n.alerts.slice(0, shown);
  for (const alert of alerts) {
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items: alertItems(n, alert, pieces, runbookChars, runbookShownFor) });
  }
  const rest = n.alerts.length - alerts.length;
  if (rest > 0) {
    const names = n.alerts.slice(shown).map((a) => `${a.name} (${a.stateLabel.toLowerCase()})`);
    body.push(textBlock(clampLine(`… and ${rest} more, not shown to keep this card under Teams' size limit: ${names.join(', ')}`, 2000), { separator: true }));
  }
  body.push(textBlock(footer(n), { size: 'Small', isSubtle: true, separator: true }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          fallbackText: summaryLine(n),
          msteams: { width: 'Full' },
          body,
          actions: actionsOf(n, alerts),
        },
      },
    ],
  };
}

function headerColor(n: NotificationView): string {
  if (n.state === 'RESOLVED') return 'Good';
  return n.severity === 'page' && n.state === 'FIRING' ? 'Attention' : 'Warning';
}

/** A later card of an incident names the page it follows: its title, when it fired, the incident id. */
function pageNote(n: NotificationView, page: TeamsPageRef | null): string | null {
  if (page === null) {
    if (n.status !== 'resolved') return null;
    return `Resolves ${bold(literal(n.title))} (its page did not reach this channel) · this card's id ${n.id}`;
  }
  const when = page.firedAt === null ? '' : ` that fired ${formatInstant(page.firedAt)} (${formatAgo(page.firedAt, n.now)})`;
  const verb = n.status === 'resolved' ? 'Resolves the page' : 'Update of the page';
  return `${verb} ${bold(literal(page.title))}${when} · incident ${page.incident}`;
}

function escalationNote(n: NotificationView): string {
  const e = n.escalation;
  if (!e) return '';
  const slos = e.slos.map((slo) => bold(literal(slo))).join(', ');
  const where = e.link ? teamsLink(e.link, 'Open the page') : 'The page is a card of its own';
  return `⏫ ${bold('Escalated to a page')} at ${formatInstant(e.at)}: ${slos} ${e.slos.length === 1 ? 'now pages' : 'now page'}. ${where}; this ticket stays quiet until the burn is over.`;
}

function groupIntro(n: NotificationView): string {
  const counts = n.firingCount > 0 ? `${n.firingCount} firing${n.resolvedCount > 0 ? `, ${n.resolvedCount} resolved` : ''}` : `all ${n.resolvedCount} resolved`;
  return `${bold(`${literal(n.title)}:`)} ${counts}, most urgent first.`;
}

function alertItems(n: NotificationView, alert: AlertView, pieces: ReadonlyMap<string, TeamsPiece[]>, runbookChars: number, runbookShownFor: Map<string, string>): Element[] {
  const items: Element[] = [];
  if (!n.single) items.push(textBlock(`${alert.emoji} ${bold(`${alert.stateLabel} · ${alert.severity} · ${literal(alert.name)}`)}`, { size: 'Medium' }));
  if (alert.description !== '') items.push(textBlock(bold(literal(alert.description))));
  if (alert.regression) {
    const r = alert.regression;
    const lead = alert.state === 'resolved' ? bold('Resolved:') : `${bold('Worse since the deploy')} of ${literal(r.deployLabel)} (${formatAgo(r.finishedAt, n.now)}):`;
    const rollback = [r.rollback && literal(r.rollback), r.rollbackUrl && teamsLink(r.rollbackUrl, 'roll back this deploy')].filter(Boolean).join(' · ');
    items.push(textBlock(`${lead} ${literal(r.comparison)}.${rollback && alert.state !== 'resolved' ? ` ${bold('Roll back:')} ${rollback}` : ''}`));
  }
  if (alert.kind === 'no_data') {
    items.push(textBlock(`${bold('No data')} for ${literal(alert.name)} since ${formatInstant(alert.activeAt)} (${formatAgo(alert.activeAt, n.now)}): the SLO cannot be evaluated, so its budget is unknown. Check the metrics pipeline and the backend.`));
  } else {
    items.push(factSet(facts(n, alert)));
    if (alert.pairs.length > 0) {
      items.push(textBlock(`${bold('Burn rate')} (long / short window against the threshold)`, { spacing: 'Medium' }));
      items.push(factSet(alert.pairs.map((p) => [`${p.long} / ${p.short}`, `${p.longBurn} / ${p.shortBurn} ${p.comparison} ${p.threshold} · ${p.status}`])));
    }
  }
  items.push(textBlock(deployText(alert), { spacing: 'Medium' }));
  const runbook = alert.runbook;
  if (runbook) {
    items.push(textBlock(runbookTitle(alert), { spacing: 'Medium' }));
    const earlier = runbookShownFor.get(runbook.path);
    if (earlier !== undefined) items.push(textBlock(`Same runbook as ${bold(literal(earlier))} above.`, { isSubtle: true }));
    else if (alert.state !== 'resolved') {
      // A resolved alert links its runbook; the body is for someone still fixing things.
      items.push(...runbookBlocks(alert, pieces.get(runbook.path) ?? [], runbookChars));
      runbookShownFor.set(runbook.path, alert.name);
    }
  }
  return items;
}

function facts(n: NotificationView, alert: AlertView): Array<[string, string]> {
  const budget = `${formatPercent(alert.budgetRemaining)} of the ${formatWindow(alert.window)} error budget${alert.budgetCovers ? ` (${alert.budgetCovers})` : ''}`;
  const rows: Array<[string, string]> = [];
  if (alert.state === 'resolved') {
    const since = alert.firedAt ?? alert.activeAt;
    rows.push(['Resolved', alert.resolvedAt === null ? 'yes' : `${formatInstant(alert.resolvedAt)} after ${formatSpan(alert.resolvedAt - since)}`]);
    rows.push(['Budget left', budget]);
  } else {
    rows.push(['Budget left', budget]);
    const exhaustion = alert.timeToExhaustion === null ? 'not burning now' : alert.timeToExhaustion <= 0 ? 'budget spent' : `gone in ${formatSpan(alert.timeToExhaustion)} at this rate`;
    rows.push(['Time to exhaustion', exhaustion]);
  }
  if (alert.headlineBurn !== null && alert.state !== 'resolved') rows.push(['Burning', formatBurnShort(alert.headlineBurn)]);
  rows.push(['Burn began', `${formatInstant(alert.activeAt)} (${formatAgo(alert.activeAt, n.now)})`]);
  if (alert.firedAt !== null) rows.push(['Firing since', formatInstant(alert.firedAt)]);
  rows.push(['Objective', `${formatObjective(alert.objective)} over ${formatWindow(alert.window)}`]);
  rows.push(['Service', alert.service]);
  return rows;
}

function deployText(alert: AlertView): string {
  const costs = alert.deployCosts ? `\n\n${bold('Budget cost of recent deploys:')} ${literal(alert.deployCosts)}` : '';
  return precedingDeployText(alert) + costs;
}

function precedingDeployText(alert: AlertView): string {
  const d = alert.deploy;
  if (!d.found) return `${bold('What changed:')} No deploy of ${literal(d.service)} in the ${formatLookback(d.lookback)} before the burn.`;
  const commit = d.commit ? ` (${d.commitUrl ? teamsLink(d.commitUrl, d.commitShort) : d.commitShort})` : '';
  const parts = [
    `${bold('What changed:')} deploy of ${bold(literal(d.service))}${d.version ? ` ${literal(d.version)}` : ''}${commit}`,
    d.author ? ` by ${literal(d.author)}` : '',
    d.environment ? ` to ${literal(d.environment)}` : '',
    `, landed ${bold(`${formatSpan(d.beforeBurn)} before`)} the burn began`,
    d.url ? ` · ${teamsLink(d.url, 'deploy details')}` : '',
  ];
  const summary = d.summary ? `\n\n_${literal(clampLine(d.summary, 500))}_` : '';
  return parts.join('') + summary;
}

function runbookTitle(alert: AlertView): string {
  const r = alert.runbook;
  if (!r) return '';
  const name = r.url ? teamsLink(r.url, r.path) : literal(r.path);
  const meta = r.meta.map((m) => `\n\n${literal(m.name)}: ${literal(m.value)}`).join('');
  return `📘 ${bold('Runbook')} ${name}${r.owner ? ` · owner ${bold(literal(r.owner))}` : ''}${r.escalation ? ` · escalation: ${literal(r.escalation)}` : ''}${meta}`;
}

/** The runbook's pieces up to `limit` characters, cut at a boundary, ending with where the rest is. */
function runbookBlocks(alert: AlertView, pieces: readonly TeamsPiece[], limit: number): Element[] {
  const r = alert.runbook;
  if (!r) return [];
  const kept: TeamsPiece[] = [];
  let room = limit;
  let cut = false;
  for (const piece of pieces) {
    if (piece.text.length <= room) {
      kept.push(piece);
      room -= piece.text.length;
      continue;
    }
    cut = true;
    if (room >= 120) {
      const { text } = cutAtBoundary(piece.text, room);
      if (text.trim() !== '') kept.push({ kind: piece.kind, text: piece.kind === 'code' ? text.replace(/\n```$/, '') : text });
    }
    break;
  }
  const blocks = kept.map((piece) => (piece.kind === 'code' ? textBlock(piece.text, { fontType: 'Monospace', size: 'Small' }) : textBlock(piece.text)));
  if (cut) blocks.push(textBlock(r.url ? `… ${teamsLink(r.url, 'full runbook')}` : `… (runbook continues in ${literal(r.path)})`, { weight: 'Bolder' }));
  return blocks;
}

function footer(n: NotificationView): string {
  const group = n.groupLabels.map((l) => `${literal(l.name)}=${literal(l.value)}`).join(' ');
  return `burnrate · receiver ${literal(n.receiver)}${group ? ` · group ${group}` : ''} · planned ${formatInstant(n.now)} · id ${n.id}`;
}

function summaryLine(n: NotificationView): string {
  const alert = n.alerts[0];
  if (!n.single || !alert) return clampLine(`[${n.state}] ${n.title}: ${n.firingCount} firing, ${n.resolvedCount} resolved`, 500);
  if (alert.kind === 'no_data') return `[${alert.stateLabel}] ${alert.name} ${alert.severity}: no data since ${formatInstant(alert.activeAt)}`;
  if (alert.regression) return clampLine(`[${alert.stateLabel}] ${alert.name} ${alert.severity}: ${alert.state === 'resolved' ? 'resolved' : `worse since ${alert.regression.deployLabel}`}`, 500);
  if (alert.state === 'resolved') return `[RESOLVED] ${alert.name} ${alert.severity}: budget ${formatPercent(alert.budgetRemaining)} left`;
  return `[${n.state}] ${alert.name} ${alert.severity}: budget ${formatPercent(alert.budgetRemaining)} left, burning ${formatBurnShort(alert.headlineBurn)}`;
}

/** Buttons: runbook, dashboard, deploy, query of the alerts shown, each URL once, at most six. */
function actionsOf(n: NotificationView, alerts: AlertView[]): Action[] {
  const actions: Action[] = [];
  const add = (url: string | null | undefined, title: string) => {
    if (url && /^https?:\/\//.test(url) && !actions.some((a) => a.url === url)) actions.push({ type: 'Action.OpenUrl', title, url });
  };
  const suffix = (alert: AlertView) => (n.single ? '' : `: ${alert.name}`);
  for (const alert of alerts) {
    add(alert.runbook?.url, `📘 Full runbook${suffix(alert)}`);
    add(alert.links.dashboard, `📈 Dashboard${suffix(alert)}`);
    if (alert.deploy.found) add(alert.deploy.url ?? alert.deploy.commitUrl, `🚀 Deploy${suffix(alert)}`);
    add(alert.links.query, `🔎 Query${suffix(alert)}`);
  }
  return actions.slice(0, teamsLimits.actions);
}
