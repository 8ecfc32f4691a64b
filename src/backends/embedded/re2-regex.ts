/**
 * Compiles a Prometheus (Go RE2) regular expression into a fully anchored JavaScript one, `^(?:re)$`.
 * RE2 syntax JavaScript lacks is rewritten: a leading `(?i)`/`(?s)`/`(?m)`, `(?P<name>…)`, `\Q…\E`, `\A`, `\z`,
 * POSIX classes such as `[[:alpha:]]`, `\pL`, octal escapes, escaped punctuation, and a lone `{`.
 * Semantics kept from Go: `.` does not match `\n` (JavaScript also excludes `\r`), `\s` is `[\t\n\f\r ]`.
 */
export class RegexSyntaxError extends Error {}

const posixClasses: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const jsSyntaxCharacters = new Set('^$\\.*+?()[]{}|/');
const goSpace = '\\t\\n\\f\\r ';

function hexEscape(char: string): string {
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}

function literal(text: string): string {
  return [...text].map((c) => (/[\w]/.test(c) ? c : hexEscape(c))).join('');
}

function unicodeClass(name: string, negated: boolean): string {
  const property = name.length <= 2 ? name : `Script=${name}`;
  return `\\${negated ? 'P' : 'p'}{${property}}`;
}

interface Cursor {
  source: string;
  i: number;
}

/** Translates one escape sequence starting at the backslash; `inClass` changes what `\s` may become. */
function translateEscape(cursor: Cursor, inClass: boolean): string {
  const { source } = cursor;
  const c = source[cursor.i + 1];
  if (c === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
  cursor.i += 2;
  switch (c) {
    case 'A':
      if (inClass) break;
      return '^';
    case 'z':
      if (inClass) break;
      return '$';
    case 'a':
      return '\\x07';
    case 's':
      return inClass ? goSpace : `[${goSpace}]`;
    case 'S':
      if (inClass) throw new RegexSyntaxError('\\S inside a character class is not supported');
      return `[^${goSpace}]`;
    case 'd': case 'D': case 'w': case 'W': case 'f': case 't': case 'n': case 'r': case 'v':
      return `\\${c}`;
    case 'b': case 'B':
      if (inClass) break;
      return `\\${c}`;
    case 'p': case 'P': {
      if (source[cursor.i] === '{') {
        const close = source.indexOf('}', cursor.i);
        if (close < 0) throw new RegexSyntaxError('missing closing } in \\p{...}');
        const name = source.slice(cursor.i + 1, close);
        cursor.i = close + 1;
        const negated = name.startsWith('^') !== (c === 'P');
        return unicodeClass(name.replace(/^\^/, ''), negated);
      }
      const name = source[cursor.i] ?? '';
      cursor.i++;
      return unicodeClass(name, c === 'P');
    }
    case 'x': {
      if (source[cursor.i] === '{') {
        const close = source.indexOf('}', cursor.i);
        if (close < 0) throw new RegexSyntaxError('missing closing } in \\x{...}');
        const hex = source.slice(cursor.i + 1, close);
        cursor.i = close + 1;
        return `\\u{${hex}}`;
      }
      const hex = source.slice(cursor.i, cursor.i + 2);
      cursor.i += 2;
      return `\\x${hex}`;
    }
    default:
      break;
  }
  if (/[0-7]/.test(c)) {
    let digits = c;
    while (digits.length < 3 && /[0-7]/.test(source[cursor.i] ?? '')) digits += source[cursor.i++];
    if (c !== '0' && digits.length === 1) throw new RegexSyntaxError(`backreferences such as \\${c} are not supported by RE2`);
    return hexEscape(String.fromCodePoint(Number.parseInt(digits, 8)));
  }
  if (/[A-Za-z0-9]/.test(c)) throw new RegexSyntaxError(`invalid escape sequence \\${c}`);
  if (jsSyntaxCharacters.has(c) || (inClass && c === '-')) return `\\${c}`;
  return hexEscape(c);
}

function translateClass(cursor: Cursor): string {
  const { source } = cursor;
  let out = '[';
  cursor.i++;
  if (source[cursor.i] === '^') {
    out += '^';
    cursor.i++;
  }
  // A `]` right after the opening bracket is a literal in RE2.
  if (source[cursor.i] === ']') {
    out += '\\]';
    cursor.i++;
  }
  while (cursor.i < source.length) {
    const c = source[cursor.i] as string;
    if (c === ']') {
      cursor.i++;
      return `${out}]`;
    }
    if (c === '[' && source[cursor.i + 1] === ':') {
      const close = source.indexOf(':]', cursor.i + 2);
      const name = close < 0 ? '' : source.slice(cursor.i + 2, close);
      const body = posixClasses[name];
      if (body === undefined) throw new RegexSyntaxError(`unsupported character class [:${name}:]`);
      out += body;
      cursor.i = close + 2;
      continue;
    }
    if (c === '\\') {
      out += translateEscape(cursor, true);
      continue;
    }
    out += c === '[' ? '\\[' : c;
    cursor.i++;
  }
  throw new RegexSyntaxError('missing closing ]');
}

function translateBody(source: string, dotAll: boolean): string {
  const cursor: Cursor = { source, i: 0 };
  let out = '';
  while (cursor.i < source.length) {
    const c = source[cursor.i] as string;
    if (c === '\\') {
      if (source[cursor.i + 1] === 'Q') {
        const end = source.indexOf('\\E', cursor.i + 2);
        out += literal(source.slice(cursor.i + 2, end < 0 ? source.length : end));
        cursor.i = end < 0 ? source.length : end + 2;
      } else out += translateEscape(cursor, false);
    } else if (c === '[') out += translateClass(cursor);
    else if (c === '.') {
      out += dotAll ? '[^]' : '[^\\n]';
      cursor.i++;
    } else if (c === '(' && source.startsWith('(?P<', cursor.i)) {
      out += '(?<';
      cursor.i += 4;
    } else if (c === '(' && source[cursor.i + 1] === '?' && !/^\(\?(?::|<[A-Za-z_])/.test(source.slice(cursor.i, cursor.i + 4))) {
      const group = source.slice(cursor.i, cursor.i + 4);
      throw new RegexSyntaxError(`unsupported group "${group}…" (RE2 has no lookaround; flags such as (?i) only at the start)`);
    } else if (c === '{') {
      const repetition = /^\{\d+(?:,\d*)?\}/.exec(source.slice(cursor.i));
      out += repetition ? repetition[0] : '\\{';
      cursor.i += repetition ? repetition[0].length : 1;
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      cursor.i++;
    } else {
      out += c;
      cursor.i++;
    }
  }
  return out;
}

/** Returns the anchored JavaScript RegExp for an RE2 pattern, or throws RegexSyntaxError. */
export function compileAnchoredRe2(pattern: string): RegExp {
  let flags = 'u';
  let body = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    const goFlags = leading[1] as string;
    if (goFlags.includes('U')) throw new RegexSyntaxError('the (?U) flag is not supported');
    if (goFlags.includes('i')) flags += 'i';
    if (goFlags.includes('m')) flags += 'm';
    body = pattern.slice(leading[0].length);
  }
  const dotAll = leading?.[1]?.includes('s') ?? false;
  const translated = translateBody(body, dotAll);
  try {
    // With (?m) JavaScript's ^ and $ would match at line breaks, but the added anchors must stay whole-text.
    const [start, end] = flags.includes('m') ? ['(?<![^])', '(?![^])'] : ['^', '$'];
    return new RegExp(`${start}(?:${translated})${end}`, flags);
  } catch (error) {
    throw new RegexSyntaxError((error as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}
