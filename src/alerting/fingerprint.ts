import { createHash } from 'node:crypto';

/** Identity of a label set: a hash of its sorted name/value pairs (never of annotations). */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(labels).sort()) hash.update(`${name}\u0000${labels[name]}\u0001`);
  return hash.digest('hex').slice(0, 16);
}
