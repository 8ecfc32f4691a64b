/** A finding about a spec file (SLOs, settings, routing), pointing at the YAML node it is about. Lines and columns are 1-based. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  /** Field path such as `spec.alerting.windows[0].long`; empty for findings about a whole document or file. */
  path: string;
  message: string;
}

/** `file:line:col field.path: message`, warnings as `file:line:col field.path: warning: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}${d.path === '' ? '' : ` ${d.path}`}`;
  return `${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** Renders a path of keys and indices: `['spec', 'windows', 0, 'long']` → `spec.windows[0].long`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** A finding before it is placed in a file: `at: 'key'` points at the field's key instead of its value. */
export interface Finding {
  severity: 'error' | 'warning';
  path: readonly PropertyKey[];
  message: string;
  at?: 'key' | 'value';
  /** Offset of the finding inside a string value (e.g. a PromQL syntax error), pointed at when the text allows. */
  offsetInValue?: number;
}

export const error = (path: readonly PropertyKey[], message: string, at: 'key' | 'value' = 'value'): Finding => ({
  severity: 'error',
  path,
  message,
  at,
});

export const warning = (path: readonly PropertyKey[], message: string): Finding => ({ severity: 'warning', path, message });
