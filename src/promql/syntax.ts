import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlSyntaxError {
  /** Zero-based offset in the query. */
  offset: number;
  message: string;
}

export type PromqlParse = { ok: true; tree: Tree } | { ok: false; error: PromqlSyntaxError };

/** Parses a query with the PromQL grammar Prometheus' own UI uses; reports the first syntax error. */
export function parsePromql(query: string): PromqlParse {
  if (query.trim() === '') return { ok: false, error: { offset: 0, message: 'the query is empty' } };
  const tree = parser.parse(query);
  let error: PromqlSyntaxError | undefined;
  tree.iterate({
    enter: (node) => {
      if (error !== undefined) return false;
      if (node.type.isError) {
        error = { offset: node.from, message: describeErrorAt(query, node.from, node.to) };
        return false;
      }
      return undefined;
    },
  });
  return error === undefined ? { ok: true, tree } : { ok: false, error };
}

function describeErrorAt(query: string, from: number, to: number): string {
  const column = from + 1;
  if (from >= query.trimEnd().length) return `syntax error at column ${column}: unexpected end of query`;
  const near = (to > from ? query.slice(from, to) : query.slice(from)).trim().slice(0, 20);
  return `syntax error at column ${column} near "${near}"`;
}
