/** How much one push may carry and how many series the embedded store may hold. */
export interface IngestLimits {
  /** Distinct series in one push. */
  seriesPerPush: number;
  /** Samples in one push. */
  samplesPerPush: number;
  /** Series in the store, existing and new. */
  series: number;
}

/**
 * Sized so that a push at the limit is stored in well under a second and a cycle over a store at the limit
 * stays inside a one-minute schedule on a small machine (see the README's reliability section).
 */
export const defaultIngestLimits: IngestLimits = { seriesPerPush: 10_000, samplesPerPush: 100_000, series: 50_000 };

export type IngestLimitName = keyof IngestLimits;

/** A push refused whole because it exceeds a limit; nothing of it is stored. */
export class IngestLimitError extends Error {
  constructor(
    readonly limit: IngestLimitName,
    readonly allowed: number,
    message: string,
  ) {
    super(`${message}; the whole push was refused, nothing was stored (limit backend.embedded.limits.${limit} = ${allowed})`);
    this.name = 'IngestLimitError';
  }

  /** The error again from its parts, its full message already written (it crossed from the ingest worker). */
  static withMessage(limit: IngestLimitName, allowed: number, fullMessage: string): IngestLimitError {
    const error = new IngestLimitError(limit, allowed, '');
    error.message = fullMessage;
    return error;
  }
}

/** The push has more distinct series, or samples, than one push may carry (counting stops just past the limit). */
export function perPushLimitError(limit: 'seriesPerPush' | 'samplesPerPush', allowed: number): IngestLimitError {
  const what = limit === 'seriesPerPush' ? 'series' : 'samples';
  return new IngestLimitError(limit, allowed, `the push has more than ${allowed} ${what}`);
}

/** Storing the push's new series would take the store past its series limit. */
export function storeLimitError(allowed: number, existing: number, added: number): IngestLimitError {
  const total = existing + added;
  return new IngestLimitError(
    'series',
    allowed,
    `the push adds ${added} new series to the ${existing} stored: ${total} would be ${total - allowed} over the store's limit of ${allowed}`,
  );
}
