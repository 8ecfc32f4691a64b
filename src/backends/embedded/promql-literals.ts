/** PromQL duration literals, read as Prometheus 2.42 reads them (strings: src/promql/string-literal.ts). */

const durationUnits: ReadonlyArray<[string, number]> = [
  ['y', 365 * 86_400_000], ['w', 7 * 86_400_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1],
];
const durationPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Prometheus `model.ParseDuration` (units y w d h m s ms, largest first) in milliseconds. */
export function parsePromDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = durationPattern.exec(text);
  if (!match || text === '') return undefined;
  let total = 0;
  durationUnits.forEach(([, size], index) => {
    const count = match[index + 1];
    if (count !== undefined) total += Number(count) * size;
  });
  return total;
}
