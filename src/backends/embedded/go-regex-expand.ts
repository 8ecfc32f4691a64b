import type { RegexMatch } from '../../labels/re2-regex.js';

/**
 * Go's `Regexp.ExpandString` over a match: `$$` is a literal `$`; `$name` takes the longest run of
 * letters, digits and `_` (so `$1x` names the group "1x", usually absent); `${name}` delimits it; a number without
 * a leading zero is a group index; an absent or non-participating group gives ""; a malformed `$` stays literal.
 */
export function expandGoTemplate(template: string, match: RegexMatch): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = extractReference(rest);
    if (reference === undefined) {
      out += '$';
      continue;
    }
    rest = reference.rest;
    out += groupValue(match, reference.name) ?? '';
  }
  return out + rest;
}

const nameCharacter = /^[\p{L}\p{Nd}_]/u;

function extractReference(text: string): { name: string; rest: string } | undefined {
  const braced = text.startsWith('{');
  const body = braced ? text.slice(1) : text;
  let length = 0;
  for (const char of body) {
    if (!nameCharacter.test(char)) break;
    length += char.length;
  }
  if (length === 0) return undefined;
  const name = body.slice(0, length);
  if (!braced) return { name, rest: body.slice(length) };
  if (body[length] !== '}') return undefined;
  return { name, rest: body.slice(length + 1) };
}

/** Go reads a name as an index only when it is all ASCII digits, below 1e8 while reading, without a leading zero. */
function groupIndex(name: string): number | undefined {
  let index = 0;
  for (const char of name) {
    if (char < '0' || char > '9' || index >= 1e8) return undefined;
    index = index * 10 + Number(char);
  }
  if (name.length > 1 && name.startsWith('0')) return undefined;
  return index;
}

function groupValue(match: RegexMatch, name: string): string | undefined {
  const index = groupIndex(name);
  if (index !== undefined) return index < match.length ? match[index] : undefined;
  return match.groups?.[name];
}
