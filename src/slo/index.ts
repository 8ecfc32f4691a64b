export { formatDiagnostic, type Diagnostic } from '../spec/diagnostic.js';
export { loadSlos, loadSloText, type LoadOptions, type LoadResult } from './load.js';
export { findSloFiles } from './find-slo-files.js';
export * from './model.js';
