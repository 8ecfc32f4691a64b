import { slackUrl } from './slack-escape.js';

const fenceLine = /^(?:>\s?)*\s*```/;
const closeFence = '\n```';

/** Whether `text` ends inside an unclosed ``` code block (also inside quotes and list items). */
export function endsInsideFence(text: string): boolean {
  return text.split('\n').filter((line) => fenceLine.test(line)).length % 2 === 1;
}

/**
 * The longest prefix of `text` no longer than `limit`, cut at a paragraph boundary when one keeps most of the
 * text, else at a line boundary, else at a space, else anywhere. A code block left open is closed, within
 * `limit`. Returns the text unchanged when it fits.
 */
export function cutAtBoundary(
  text: string,
  limit: number,
): { text: string; cut: boolean; closedFence: boolean; consumed: number } {
  if (text.length <= limit) return { text, cut: false, closedFence: false, consumed: text.length };
  const budget = Math.max(0, limit - closeFence.length);
  const window = text.slice(0, budget + 1);
  const candidates = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')];
  const floor = [budget * 0.6, budget * 0.3, budget * 0.3];
  let at = budget;
  for (const [index, candidate] of candidates.entries()) {
    if (candidate > 0 && candidate >= (floor[index] ?? 0)) {
      at = candidate;
      break;
    }
  }
  const kept = text.slice(0, at).trimEnd();
  const open = endsInsideFence(kept);
  return { text: open ? kept + closeFence : kept, cut: true, closedFence: open, consumed: at };
}

/**
 * Trims Slack mrkdwn to `limit` characters at a paragraph or line boundary and says where the rest is:
 * `… <url|full runbook>`, or `… (runbook continues in PATH)` without a URL.
 */
export function trimMrkdwn(text: string, limit: number, moreUrl: string | null, path = 'the runbook file'): string {
  return text.length <= limit ? text : appendMore(text, limit, moreUrl, path);
}

/**
 * Runbook mrkdwn as at most `maxSections` pieces of `sectionLimit` characters (Slack sections), the last one
 * ending with where the rest is when the runbook does not fit.
 */
export function mrkdwnSections(
  text: string,
  sectionLimit: number,
  maxSections: number,
  moreUrl: string | null,
  path = 'the runbook file',
): string[] {
  const pieces = splitMrkdwn(text, sectionLimit);
  if (pieces.length <= maxSections) return pieces;
  const kept = pieces.slice(0, Math.max(1, maxSections));
  const last = kept.length - 1;
  kept[last] = appendMore(kept[last] ?? '', sectionLimit, moreUrl, path);
  return kept;
}

function appendMore(text: string, limit: number, moreUrl: string | null, path: string): string {
  const more = moreUrl === null ? `… (runbook continues in ${path})` : `… <${slackUrl(moreUrl)}|full runbook>`;
  const { text: kept } = cutAtBoundary(text, Math.max(0, limit - more.length - 1));
  return kept === '' ? more.slice(0, limit) : `${kept}\n${more}`;
}

/** Splits mrkdwn into pieces of at most `limit` characters, closing and reopening code blocks at the cuts. */
export function splitMrkdwn(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { text: piece, closedFence, consumed } = cutAtBoundary(rest, limit);
    if (consumed <= 0 || piece.trim() === '') {
      pieces.push(rest.slice(0, limit));
      rest = rest.slice(limit);
      continue;
    }
    pieces.push(piece);
    const tail = rest.slice(consumed);
    const remainder = /^\s*\n/.test(tail) ? tail.replace(/^\s*\n/, '') : tail.replace(/^ +/, '');
    rest = closedFence ? `\`\`\`\n${remainder}` : remainder;
  }
  if (rest.trim() !== '') pieces.push(rest);
  return pieces;
}
