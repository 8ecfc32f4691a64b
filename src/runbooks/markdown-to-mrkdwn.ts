import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { decodeEntities } from './html-entities.js';
import { escapeSlack, isSafeHref, slackLink } from './slack-escape.js';

/**
 * Slack mrkdwn from Markdown, walking marked's lexer tokens. Text is escaped (`&`, `<`, `>`) as Slack
 * requires; raw HTML shows as text; only http(s) and mailto links become links.
 */
export function markdownToMrkdwn(markdown: string): string {
  return blocks(new Lexer({ gfm: true }).lex(markdown)).trimEnd();
}

const indentUnit = '    ';

function blocks(tokens: readonly Token[], tight = false): string {
  const parts: string[] = [];
  let afterHeading = false;
  for (const token of tokens) {
    const text = block(token as MarkedToken);
    if (text === null) continue;
    if (parts.length > 0) parts.push(afterHeading || tight ? '\n' : '\n\n');
    parts.push(text);
    afterHeading = token.type === 'heading';
  }
  return parts.join('');
}

function block(token: MarkedToken): string | null {
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading':
      return `*${inline(token.tokens, true).trim()}*`;
    case 'paragraph':
      return inline(token.tokens, false);
    case 'text':
      return token.tokens ? inline(token.tokens, false) : text(token.text);
    case 'code':
      return codeBlock(token.text);
    case 'list':
      return list(token);
    case 'blockquote':
      return prefixLines(blocks(token.tokens), '> ');
    case 'table':
      return table(token);
    case 'hr':
      return '──────────';
    case 'html':
      return escapeSlack(token.text.trimEnd());
    default:
      return 'raw' in token && typeof token.raw === 'string' ? escapeSlack(token.raw) : null;
  }
}

function codeBlock(code: string): string {
  return `\`\`\`\n${escapeSlack(code.replace(/\n+$/, ''))}\n\`\`\``;
}

function list(token: Tokens.List): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  const items = token.items.map((item, index) => {
    const marker = token.ordered ? `${start + index}.` : '•';
    const checkbox = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
    const body = blocks(
      item.tokens.filter((child) => child.type !== 'checkbox'),
      !token.loose,
    );
    const [first = '', ...rest] = body.split('\n');
    const continuation = rest.map((line) => (line === '' ? '' : indentUnit + line));
    return [`${marker} ${checkbox}${first}`, ...continuation].join('\n');
  });
  return items.join(token.loose ? '\n\n' : '\n');
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? prefix.trimEnd() : prefix + line))
    .join('\n');
}

/** Tables become a code block with aligned columns: Slack has no tables. */
function table(token: Tokens.Table): string {
  const header = token.header.map((cell) => plain(cell.tokens));
  const rows = token.rows.map((row) => row.map((cell) => plain(cell.tokens)));
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length), 1),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column] ?? 0, token.align[column] ?? null))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return codeBlock([line(header), rule, ...rows.map(line)].join('\n'));
}

function pad(cell: string, width: number, align: 'left' | 'right' | 'center' | null): string {
  const gap = width - cell.length;
  if (align === 'right') return ' '.repeat(gap) + cell;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + cell + ' '.repeat(Math.ceil(gap / 2));
  return cell + ' '.repeat(gap);
}

/** Inline text: soft line breaks of wrapped Markdown become spaces (mrkdwn keeps every newline). */
function text(raw: string): string {
  return escapeSlack(decodeEntities(raw)).replace(/[ \t]*\n[ \t]*/g, ' ');
}

/** Inline tokens as mrkdwn; `bare` drops emphasis markers (inside headings, which are bold already). */
function inline(tokens: readonly Token[] | undefined, bare: boolean): string {
  if (!tokens) return '';
  return tokens.map((token) => inlineToken(token as MarkedToken, bare)).join('');
}

function inlineToken(token: MarkedToken, bare: boolean): string {
  switch (token.type) {
    case 'text':
      return token.tokens ? inline(token.tokens, bare) : text(token.text);
    case 'escape':
      return escapeSlack(token.text);
    case 'strong':
      return bare ? inline(token.tokens, bare) : `*${inline(token.tokens, true)}*`;
    case 'em':
      return bare ? inline(token.tokens, bare) : `_${inline(token.tokens, true)}_`;
    case 'del':
      return bare ? inline(token.tokens, bare) : `~${inline(token.tokens, true)}~`;
    case 'codespan':
      return `\`${text(token.text)}\``;
    case 'br':
      return '\n';
    case 'link':
      return isSafeHref(token.href) ? slackLink(token.href, plain(token.tokens)) : inline(token.tokens, bare);
    case 'image':
      return isSafeHref(token.href) ? slackLink(token.href, token.text || token.href) : text(token.text);
    case 'html':
      return escapeSlack(token.text);
    case 'checkbox':
      return token.checked ? '☑ ' : '☐ ';
    default:
      return 'raw' in token && typeof token.raw === 'string' ? escapeSlack(token.raw) : '';
  }
}

/** The visible text of inline tokens, unescaped: for link labels and table cells. */
function plain(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      const t = token as MarkedToken;
      if ('tokens' in t && t.tokens) return plain(t.tokens);
      if (t.type === 'br') return ' ';
      if (t.type === 'escape' || t.type === 'html') return t.text;
      return 'text' in t && typeof t.text === 'string' ? decodeEntities(t.text) : '';
    })
    .join('');
}
