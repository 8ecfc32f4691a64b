import * as z from 'zod';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { formatPath, type Diagnostic, type Finding } from '../spec/diagnostic.js';
import { findingsFromIssues } from '../spec/wire-issues.js';
import { locate } from '../spec/yaml-locate.js';
import type { RoutingConfig } from './routing-model.js';
import { routingFindings, type Env } from './routing-rules.js';
import { routingSchema, type RoutingWire } from './routing-schema.js';
import { toRoutingConfig } from './to-routing-config.js';

/** Places findings about a parsed YAML document at `file:line:col`, in file order. */
export function placeFindings(doc: Document, lineCounter: LineCounter, file: string, findings: readonly Finding[]): Diagnostic[] {
  return findings
    .map((f) => ({ severity: f.severity, file, ...locate(doc, lineCounter, f.path, f.at, f.offsetInValue), path: formatPath(f.path), message: f.message }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

// Other top-level keys of burnrate.yaml belong to the config schema, which checks them itself.
const routingOnly = z.object(routingSchema);

/**
 * Reads the routing section of a burnrate.yaml text on its own: schema, cross-field rules and (with `env`)
 * secrets. `config` is set only when there are no errors and the file has a route.
 */
export function parseRoutingText(text: string, file: string, env?: Env): { config: RoutingConfig | undefined; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((e): Diagnostic => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { severity: 'error', file, line, column: col, path: '', message: `YAML syntax: ${e.message.split('\n')[0] ?? ''}` };
    });
    return { config: undefined, diagnostics };
  }
  const parsed = routingOnly.safeParse(doc.toJS() ?? {});
  if (!parsed.success) return { config: undefined, diagnostics: placeFindings(doc, lineCounter, file, findingsFromIssues(parsed.error.issues)) };
  const wire: RoutingWire = parsed.data;
  const diagnostics = placeFindings(doc, lineCounter, file, routingFindings(wire, env));
  const clean = diagnostics.every((d) => d.severity !== 'error');
  return { config: clean && env !== undefined ? toRoutingConfig(wire, env) : undefined, diagnostics };
}
