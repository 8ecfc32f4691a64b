export { createRenderer, type RendererOptions } from './create-renderer.js';
export { slackLimits } from './slack-limits.js';
export { shippedTemplateDir } from './templates.js';
