/** PromQL string literals, read as Prometheus 2.42 reads them. */

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};

/** Go `strconv.Unquote` for "…", '…' and `…` literals; returns undefined for a malformed one. */
export function unquoteString(literal: string): string | undefined {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  if (quote !== '"' && quote !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : /[0-7]/.test(next) ? 3 : 0;
    if (width === 0) return undefined;
    const digits = /[0-7]/.test(next) ? body.slice(i, i + 3) : body.slice(i + 1, i + 1 + width);
    const code = Number.parseInt(digits, /[0-7]/.test(next) ? 8 : 16);
    if (digits.length !== width || Number.isNaN(code)) return undefined;
    out += next === 'x' || /[0-7]/.test(next) ? String.fromCharCode(code) : String.fromCodePoint(code);
    i += /[0-7]/.test(next) ? 2 : width;
  }
  return out;
}
