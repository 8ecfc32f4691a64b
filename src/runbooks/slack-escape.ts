/** Slack's required escaping for text it parses as mrkdwn: only `&`, `<` and `>` (quotes stay as they are). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL inside `<url|text>`: Slack-escaped, and `|` encoded so it cannot end the URL early. */
export function slackUrl(url: string): string {
  return escapeSlack(url).replace(/\|/g, '%7C');
}

/** `<url|text>` with the text escaped; `<url>` when the text is the URL itself. */
export function slackLink(url: string, text: string): string {
  return text === url ? `<${slackUrl(url)}>` : `<${slackUrl(url)}|${escapeSlack(text).replace(/\|/g, '¦')}>`;
}

/** Whether a link target may be followed from a notification: http(s) and mailto only. */
export function isSafeHref(href: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme, so `java\tscript:` must not pass either.
  // eslint-disable-next-line no-control-regex
  const compact = href.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
  return /^(https?:\/\/|mailto:)/.test(compact) && compact === href.trim().toLowerCase();
}
