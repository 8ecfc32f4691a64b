import type { Document, LineCounter } from 'yaml';
import { checkParts, usableFields } from './check-parts.js';
import type { DomainContext } from './domain-rules.js';
import { error, formatPath, type Diagnostic, type Finding } from '../spec/diagnostic.js';
import type { Slo } from './model.js';
import { toModel } from './to-model.js';
import { findingsFromIssues } from '../spec/wire-issues.js';
import { show } from '../spec/wire-values.js';
import { apiVersion, kind, sloV1 } from './wire-v1.js';
import { locate, position, type Position } from '../spec/yaml-locate.js';
import { isStackOverflow, toDataSafely, tooDeepMessage } from '../spec/yaml-safety.js';

export interface LoadedDocument {
  /** Set only when the document has no errors. */
  slo: Slo | undefined;
  /** Set when the document got far enough to have a valid name, for the duplicate check across files. */
  name: { value: string; at: Position } | undefined;
  diagnostics: Diagnostic[];
}

/** One YAML document through the three layers: wire schema, mapping to the model, domain rules. */
export function loadDocument(doc: Document, lineCounter: LineCounter, file: string, context: DomainContext): LoadedDocument {
  const place = (finding: Finding): Diagnostic => ({
    severity: finding.severity,
    file,
    ...locate(doc, lineCounter, finding.path, finding.at, finding.offsetInValue),
    path: formatPath(finding.path),
    message: finding.message,
  });
  const done = (findings: Finding[], slo?: Slo, name?: LoadedDocument['name']): LoadedDocument => {
    const diagnostics = findings.map(place).sort((a, b) => a.line - b.line || a.column - b.column);
    const clean = diagnostics.every((d) => d.severity !== 'error');
    return { slo: clean ? slo : undefined, name, diagnostics };
  };

  if (doc.errors.length > 0) {
    return { slo: undefined, name: undefined, diagnostics: doc.errors.map((e) => yamlDiagnostic(file, lineCounter, e.pos[0], e.message)) };
  }
  const data = toDataSafely(doc);
  if (data.hazard !== undefined) return { slo: undefined, name: undefined, diagnostics: [yamlDiagnostic(file, lineCounter, data.hazard.offset, data.hazard.message)] };
  const value = data.value;

  const header = checkHeader(value);
  if (header.length > 0) return done(header);

  // Every stage runs on what the earlier ones let through, so one run reports every problem it can check.
  const parsed = sloV1.safeParse(value);
  const issues = parsed.success ? [] : parsed.error.issues;
  const findings = [...findingsFromIssues(issues), ...checkParts(value, issues, context)];
  const nameValue = usableFields(value, issues)(['metadata', 'name']);
  const name = typeof nameValue === 'string' ? { value: nameValue, at: locate(doc, lineCounter, ['metadata', 'name']) } : undefined;
  if (!parsed.success) return done(findings, undefined, name);

  const start = position(lineCounter, doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0);
  return done(findings, toModel(parsed.data, { file, ...start }), name);
}

/** Whether a document is an empty one (e.g. after a trailing `---`), which is skipped. */
export function isEmptyDocument(doc: Document): boolean {
  return doc.errors.length === 0 && (doc.contents === null || (doc.contents as { value?: unknown }).value === null);
}

function checkHeader(value: unknown): Finding[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [error([], `expected a mapping with apiVersion, kind, metadata and spec, got ${show(value)}`)];
  }
  const record = value as Record<string, unknown>;
  const findings: Finding[] = [];
  if (record['apiVersion'] !== apiVersion) {
    const got = record['apiVersion'] === undefined ? 'required field missing' : `unsupported apiVersion ${show(record['apiVersion'])}`;
    findings.push(error(['apiVersion'], `${got}: the supported version is ${apiVersion}`));
  }
  if (record['kind'] !== kind) {
    const got = record['kind'] === undefined ? 'required field missing' : `unsupported kind ${show(record['kind'])}`;
    findings.push(error(['kind'], `${got}: the supported kind is ${kind}`));
  }
  return findings;
}

function yamlDiagnostic(file: string, lineCounter: LineCounter, offset: number, message: string): Diagnostic {
  const text = isStackOverflow(message) ? tooDeepMessage : message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
  return { severity: 'error', file, ...position(lineCounter, offset), path: '', message: `invalid YAML: ${text}` };
}
