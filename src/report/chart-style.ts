/** Colours and type shared by the charts and the HTML around them. */
export const palette = {
  ink: '#1f2933',
  muted: '#6b7785',
  grid: '#e4e8ee',
  good: '#2f9e6e',
  warn: '#d98a10',
  bad: '#d64545',
  burn: '#3a6ea5',
  deploy: '#7a4fb5',
  week: 'rgba(58,110,165,0.08)',
} as const;

export const chartFont = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** Status colour of a budget fraction remaining. */
export function budgetColor(remaining: number | null): string {
  if (remaining === null) return palette.muted;
  if (remaining <= 0.2) return palette.bad;
  if (remaining <= 0.5) return palette.warn;
  return palette.good;
}
