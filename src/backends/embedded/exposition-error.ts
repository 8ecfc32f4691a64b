/** A malformed exposition text. The whole input is rejected: nothing of it is ingested. */
export class ExpositionError extends Error {
  readonly line: number;
  readonly detail: string;
  constructor(line: number, detail: string) {
    super(`line ${line}: ${detail}; the whole input was rejected, nothing was ingested`);
    this.name = 'ExpositionError';
    this.line = line;
    this.detail = detail;
  }
}

/** Quotes a fragment of the offending input for an error message, shortened when long. */
export function quoteInput(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
