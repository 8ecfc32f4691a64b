import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { escapeSlack } from '../runbooks/slack-escape.js';
import {
  formatAgo,
  formatBurn,
  formatBurnShort,
  formatFactor,
  formatInstant,
  formatLookback,
  formatObjective,
  formatPercent,
  formatSpan,
  formatWindow,
  shortCommit,
} from './format.js';

/** The templates shipped with burnrate (`templates/` at the package root, next to `src/` and `dist/`). */
export const shippedTemplateDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * How a template's output is escaped, from its name: `*.html.njk` HTML-autoescaped, `*.mrkdwn.njk` with
 * every string of the context Slack-escaped (`&<>`), `*.txt.njk` as is (plain text, Slack plain_text).
 */
export type TemplateKind = 'html' | 'mrkdwn' | 'text';

export interface Templates {
  render(name: string, context: Record<string, unknown>): string;
}

/** Marks text as already escaped for its channel (rendered runbook mrkdwn or HTML). */
export function trusted(text: string): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(text);
}

export function templateKind(name: string): TemplateKind {
  if (name.endsWith('.html.njk')) return 'html';
  if (name.endsWith('.mrkdwn.njk')) return 'mrkdwn';
  return 'text';
}

/** Templates looked up in `templateDir` first, then in the shipped directory. */
export function createTemplates(templateDir?: string): Templates {
  const searchPaths = [templateDir, shippedTemplateDir].filter((dir): dir is string => !!dir && existsSync(dir));
  const environments = {
    html: environment(searchPaths, true),
    mrkdwn: environment(searchPaths, false),
    text: environment(searchPaths, false),
  } satisfies Record<TemplateKind, nunjucks.Environment>;
  environments.mrkdwn.addFilter('link', (url: unknown, text: unknown) =>
    url ? `<${String(url).replace(/\|/g, '%7C')}|${String(text ?? url).replace(/\|/g, '¦')}>` : String(text ?? ''),
  );
  environments.mrkdwn.addFilter('slackDate', (seconds: unknown, format = '{date_short_pretty} {time}') =>
    typeof seconds === 'number' && Number.isFinite(seconds)
      ? `<!date^${Math.round(seconds)}^${String(format)}|${formatInstant(seconds)}>`
      : 'n/a',
  );
  return {
    render(name, context) {
      const kind = templateKind(name);
      const prepared = kind === 'mrkdwn' ? (escapeDeep(context) as Record<string, unknown>) : context;
      return environments[kind].render(name, prepared);
    },
  };
}

function environment(searchPaths: string[], autoescape: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(searchPaths), {
    autoescape,
    trimBlocks: true,
    lstripBlocks: true,
  });
  const filters: Record<string, (...args: never[]) => unknown> = {
    percent: formatPercent,
    burn: formatBurn,
    burnShort: formatBurnShort,
    factor: formatFactor,
    objective: formatObjective,
    duration: formatSpan,
    window: formatWindow,
    time: formatInstant,
    ago: formatAgo,
    lookback: formatLookback,
    shortCommit,
  };
  for (const [name, filter] of Object.entries(filters)) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  return env;
}

/** Slack-escapes every string in a template context; trusted (SafeString) values pass unchanged. */
function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeSlack(value);
  if (value instanceof nunjucks.runtime.SafeString) return value;
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeDeep(item)]));
  }
  return value;
}
