import { cutAtBoundary } from '../runbooks/trim.js';

/** Block Kit limits burnrate keeps to (Slack rejects or truncates beyond them). */
export const slackLimits = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fallbackText: 40_000,
} as const;

/** Text cut to `limit` characters at a line boundary, ending with `…` when cut. */
export function clampText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const { text: kept } = cutAtBoundary(text, limit - 2);
  return `${kept}\n…`.slice(0, limit);
}

/** Single-line text cut to `limit` characters with a trailing `…`. */
export function clampLine(text: string, limit: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= limit ? line : `${line.slice(0, limit - 1).trimEnd()}…`;
}

export function headerBlock(text: string): Record<string, unknown> {
  return { type: 'header', text: { type: 'plain_text', text: clampLine(text, slackLimits.headerText), emoji: true } };
}

export function sectionBlock(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: clampText(text, slackLimits.sectionText) } };
}

export function contextBlock(text: string): Record<string, unknown> {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clampText(text, slackLimits.sectionText) }] };
}

export const dividerBlock: Record<string, unknown> = { type: 'divider' };

/** Template output tidied: trailing spaces and runs of blank lines removed. */
export function tidy(text: string): string {
  return text
    .split('\n')
    // `-- ` (with its space) is the mail signature delimiter.
    .map((line) => (line === '-- ' ? line : line.trimEnd()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
