import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { decodeEntities } from '../runbooks/html-entities.js';
import { isSafeHref } from '../runbooks/slack-escape.js';

/**
 * A runbook as pieces a Teams Adaptive Card shows: Markdown text for a TextBlock (Teams renders bold, italic,
 * bulleted and numbered lists and links, nothing else: headings become bold lines, tables and code blocks become
 * monospace pieces), and code shown in a monospace TextBlock.
 */
export type TeamsPiece = { kind: 'text'; text: string } | { kind: 'code'; text: string };

export function markdownToTeams(markdown: string): TeamsPiece[] {
  const pieces: TeamsPiece[] = [];
  const texts: string[] = [];
  const flush = () => {
    if (texts.length > 0) pieces.push({ kind: 'text', text: texts.join('\n\n') });
    texts.length = 0;
  };
  for (const token of new Lexer({ gfm: true }).lex(markdown)) {
    const t = token as MarkedToken;
    if (t.type === 'code') {
      flush();
      pieces.push({ kind: 'code', text: t.text.replace(/\n+$/, '') });
    } else if (t.type === 'table') {
      flush();
      pieces.push({ kind: 'code', text: table(t) });
    } else {
      const text = block(t);
      if (text !== null && text.trim() !== '') texts.push(text);
    }
  }
  flush();
  return pieces;
}

function block(token: MarkedToken): string | null {
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading':
      return `**${plain(token.tokens).trim()}**`;
    case 'paragraph':
      return inline(token.tokens);
    case 'text':
      return token.tokens ? inline(token.tokens) : flat(token.text);
    case 'code':
      return token.text;
    case 'list':
      return list(token, '');
    case 'blockquote':
      return token.tokens.map((child) => block(child as MarkedToken)).filter((t): t is string => t !== null).join('\n\n');
    case 'table':
      return table(token);
    case 'hr':
      return '──────────';
    case 'html':
      return token.text.trimEnd();
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : null;
  }
}

function list(token: Tokens.List, indent: string): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}.` : '-';
      const checkbox = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const parts = item.tokens
        .filter((child) => child.type !== 'checkbox' && child.type !== 'space')
        .map((child) => {
          const c = child as MarkedToken;
          return c.type === 'list' ? list(c, `${indent}    `) : block(c);
        })
        .filter((part): part is string => part !== null && part !== '');
      const [first = '', ...rest] = parts;
      return [`${indent}${marker} ${checkbox}${first.replace(/\n/g, ' ')}`, ...rest].join('\n');
    })
    .join('\n');
}

function table(token: Tokens.Table): string {
  const header = token.header.map((cell) => plain(cell.tokens));
  const rows = token.rows.map((row) => row.map((cell) => plain(cell.tokens)));
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length), 1));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Soft line breaks of wrapped Markdown become spaces. */
function flat(raw: string): string {
  return decodeEntities(raw).replace(/[ \t]*\n[ \t]*/g, ' ');
}

function inline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  return tokens.map((token) => inlineToken(token as MarkedToken)).join('');
}

function inlineToken(token: MarkedToken): string {
  switch (token.type) {
    case 'text':
      return token.tokens ? inline(token.tokens) : flat(token.text);
    case 'escape':
      return token.text;
    case 'strong':
      return `**${inline(token.tokens)}**`;
    case 'em':
      return `_${inline(token.tokens)}_`;
    case 'del':
      return inline(token.tokens);
    case 'codespan':
      // Teams shows no inline code: the backticks stay as a hint that it is a command.
      return `\`${decodeEntities(token.text)}\``;
    case 'br':
      return '\n';
    case 'link':
      return isSafeHref(token.href) ? teamsLink(token.href, plain(token.tokens)) : inline(token.tokens);
    case 'image':
      return isSafeHref(token.href) ? teamsLink(token.href, token.text || token.href) : flat(token.text);
    case 'html':
      return token.text;
    case 'checkbox':
      return token.checked ? '☑ ' : '☐ ';
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : '';
  }
}

/** A Markdown link Teams renders: `[text](url)`, brackets in the text and parentheses in the URL escaped. */
export function teamsLink(url: string, text: string): string {
  const label = text.replace(/[[\]]/g, (c) => `\\${c}`) || url;
  return `[${label}](${url.replace(/[()]/g, (c) => encodeURIComponent(c)).replace(/ /g, '%20')})`;
}

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
