const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const hexInteger = /^[+-]?0[xX][0-9a-fA-F]+$/;
const special = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Parses a float the way Go's strconv.ParseFloat reads exposition values and PromQL numbers:
 * decimals, exponents, `NaN`, `Inf`/`+Inf`/`-Inf` in any case, hexadecimal integers.
 * Returns undefined for anything else (JS `Number` would accept '' and ' ' as 0).
 */
export function parseGoFloat(text: string): number | undefined {
  if (decimal.test(text)) return Number(text);
  const match = special.exec(text);
  if (match) {
    if ((match[2] as string).toLowerCase() === 'nan') return Number.NaN;
    return match[1] === '-' ? -Infinity : Infinity;
  }
  if (hexInteger.test(text)) {
    const negative = text.startsWith('-');
    const digits = text.replace(/^[+-]?0[xX]/, '');
    const value = Number.parseInt(digits, 16);
    return negative ? -value : value;
  }
  return undefined;
}
