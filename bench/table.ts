/** A plain text table: the first column left-aligned, the others right-aligned, each padded to its widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

export function seconds(millis: number): string {
  if (millis >= 10_000) return `${(millis / 1000).toFixed(1)} s`;
  if (millis >= 1000) return `${(millis / 1000).toFixed(2)} s`;
  return `${millis.toFixed(0)} ms`;
}

export const count = (value: number): string => value.toLocaleString('en-US');

export const ratio = (value: number, baseline: number, name: string): string => `${(value / baseline).toFixed(3)} × ${name}`;
