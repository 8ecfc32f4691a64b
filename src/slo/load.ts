import { LineCounter, parseAllDocuments } from 'yaml';
import { checkRunbookFile } from '../runbooks/resolve-runbook.js';
import type { Diagnostic } from '../spec/diagnostic.js';
import type { DomainContext } from './domain-rules.js';
import { findSloFiles, reasonOf } from './find-slo-files.js';
import { isEmptyDocument, loadDocument } from './load-document.js';
import type { Slo } from './model.js';
import { position } from '../spec/yaml-locate.js';
import { FileReadError, readTextFile } from '../util/read-text-file.js';

/** An SLO file larger than this is refused unread (the examples are a few kilobytes). */
export const maxSloFileBytes = 4 * 1024 * 1024;

export interface LoadResult {
  /** Only the SLOs without errors (warnings allowed). */
  slos: Slo[];
  /** Every error and warning of every stage of every file, in file order, then by line and column. */
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Directory runbook paths are relative to; each referenced runbook must exist there. */
  runbookDir: string;
}

/** Loads SLO files and directories (searched recursively for `*.yaml`/`*.yml`). */
export function loadSlos(paths: string[], options: LoadOptions): LoadResult {
  const loader = createLoader(options);
  const { files, unreadable } = findSloFiles(paths);
  for (const { path, reason } of unreadable) loader.fail(path, `cannot read: ${reason}`);
  for (const file of files) {
    let text: string;
    try {
      text = readTextFile(file, { maxBytes: maxSloFileBytes });
    } catch (cause) {
      loader.fail(file, `cannot read: ${cause instanceof FileReadError ? cause.reason : reasonOf(cause)}`);
      continue;
    }
    loader.add(text, file);
  }
  return loader.result();
}

/** Loads SLOs from text, e.g. stdin; `file` names it in diagnostics. */
export function loadSloText(text: string, file: string, options: LoadOptions): LoadResult {
  const loader = createLoader(options);
  loader.add(text, file);
  return loader.result();
}

function createLoader(options: LoadOptions) {
  const context: DomainContext = { runbookProblem: (relative) => checkRunbookFile(options.runbookDir, relative) };
  const slos: Slo[] = [];
  const diagnostics: Diagnostic[] = [];
  const names = new Map<string, string>();
  return {
    fail(file: string, message: string): void {
      diagnostics.push({ severity: 'error', file, line: 1, column: 1, path: '', message });
    },
    add(text: string, file: string): void {
      const lineCounter = new LineCounter();
      const fault = (cause: unknown, offset: number) => {
        const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
        diagnostics.push({ severity: 'error', file, ...position(lineCounter, offset), path: '', message: `cannot read the document: ${message}` });
      };
      let docs: ReturnType<typeof parseAllDocuments>;
      try {
        docs = parseAllDocuments(text, { lineCounter });
      } catch (cause) {
        fault(cause, 0);
        return;
      }
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        if (isEmptyDocument(doc)) continue;
        let loaded: ReturnType<typeof loadDocument>;
        try {
          loaded = loadDocument(doc, lineCounter, file, context);
        } catch (cause) {
          // Whatever a document holds, the result is diagnostics, never an exception out of validation.
          fault(cause, doc.range?.[0] ?? 0);
          continue;
        }
        diagnostics.push(...loaded.diagnostics);
        let duplicate = false;
        if (loaded.name !== undefined) {
          const first = names.get(loaded.name.value);
          if (first === undefined) {
            names.set(loaded.name.value, `${file}:${loaded.name.at.line}`);
          } else {
            duplicate = true;
            diagnostics.push({
              severity: 'error',
              file,
              ...loaded.name.at,
              path: 'metadata.name',
              message: `duplicate SLO name "${loaded.name.value}": first defined at ${first}`,
            });
          }
        }
        if (loaded.slo !== undefined && !duplicate) slos.push(loaded.slo);
      }
    },
    result(): LoadResult {
      // Files keep the order they were read in; inside a file, e.g. a duplicate name found after the rest, by place.
      const fileOrder = new Map<string, number>();
      for (const d of diagnostics) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
      const sorted = [...diagnostics].sort(
        (a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line || a.column - b.column,
      );
      return { slos: [...slos], diagnostics: sorted };
    },
  };
}
