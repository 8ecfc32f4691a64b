import type { Slo } from '../slo/model.js';

/** SLOs without a `team` label are reported under this name. */
export const noTeam = 'unassigned';

export function teamOf(slo: Pick<Slo, 'labels'>): string {
  return slo.labels.team ?? noTeam;
}

/** Teams in name order, each with its SLOs. */
export function slosByTeam<T extends Pick<Slo, 'labels'>>(slos: readonly T[]): Map<string, T[]> {
  const teams = new Map<string, T[]>();
  for (const slo of slos) teams.set(teamOf(slo), [...(teams.get(teamOf(slo)) ?? []), slo]);
  return new Map([...teams].sort(([a], [b]) => a.localeCompare(b)));
}
