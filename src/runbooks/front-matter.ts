import { parse } from 'yaml';

export interface FrontMatterSplit {
  meta: Record<string, string>;
  body: string;
  /** Why the front matter was ignored, when it was present but unusable. */
  problem: string | null;
}

const fence = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits optional YAML front matter (`---` … `---` at the very top) from a Markdown body. Never throws. */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const match = fence.exec(text);
  if (!match) return { meta: {}, body: text, problem: null };
  const body = text.slice(match[0].length).replace(/^(?:[ \t]*\r?\n)+/, '');
  let parsed: unknown;
  try {
    parsed = parse(match[1] ?? '');
  } catch (error) {
    return { meta: {}, body, problem: `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (parsed === null || parsed === undefined) return { meta: {}, body, problem: null };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { meta: {}, body, problem: 'front matter is not a mapping' };
  }
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const text = metaText(value);
    if (text !== null) meta[key] = text;
  }
  return { meta, body, problem: null };
}

function metaText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => metaText(item) ?? '').filter((item) => item !== '').join(', ');
  return JSON.stringify(value);
}
