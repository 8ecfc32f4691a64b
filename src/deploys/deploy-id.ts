import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-style id with a `dep_` prefix: 10 characters of millisecond time then 16 random ones (Crockford
 * base 32), so ids sort by creation time.
 */
export function deployId(nowSeconds: number, random: (size: number) => Uint8Array = randomBytes): string {
  let millis = Math.max(0, Math.floor(nowSeconds * 1000));
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = alphabet[millis % 32]! + time;
    millis = Math.floor(millis / 32);
  }
  const bytes = random(16);
  let rest = '';
  for (const byte of bytes) rest += alphabet[byte % 32]!;
  return `dep_${time}${rest}`;
}
