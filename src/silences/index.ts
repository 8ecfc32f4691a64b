export { SilenceError, silenceState, silenceStates, type Silence, type SilenceErrorCode, type SilenceState } from './silence.js';
export { resolveSilenceInput, silenceInputSchema, type SilenceDraft, type SilenceInput } from './silence-input.js';
export { SilenceStore } from './silence-store.js';
export { silencing } from './silencing.js';
export { silenceView, type SilenceView } from './silence-view.js';
