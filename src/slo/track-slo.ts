import { addMatchers } from '../promql/add-matchers.js';
import type { IndicatorQuery, Slo, Tracks } from './model.js';

export type Track = keyof Tracks;

/**
 * The SLO of one track of a canary: its queries narrowed to the track's series by its `spec.tracks` selector; the
 * same name, objective and windows, so its events are read and counted as the whole SLO's are.
 */
export function trackSlo(slo: Slo, track: Track): Slo {
  const selector = slo.tracks?.[track];
  if (selector === undefined) throw new Error(`SLO ${slo.name} declares no spec.tracks`);
  const narrowed = (query: IndicatorQuery): IndicatorQuery => ({ ...query, template: addMatchers(query.template, selector) });
  return { ...slo, indicator: { ...slo.indicator, numerator: narrowed(slo.indicator.numerator), total: narrowed(slo.indicator.total) } };
}
