import type { RenderEmail, RenderSlack } from '../notify/rendering.js';
import { emailRenderer, type EmailRenderOptions } from './render-email.js';
import { slackRenderer, type SlackRenderOptions } from './render-slack.js';
import { createTemplates } from './templates.js';

export interface RendererOptions {
  /** A directory of templates searched before the shipped ones (same relative names, e.g. `email/subject.txt.njk`). */
  templateDir?: string;
  slack?: SlackRenderOptions;
  email?: EmailRenderOptions;
}

export function createRenderer(options: RendererOptions = {}): { renderSlack: RenderSlack; renderEmail: RenderEmail } {
  const templates = createTemplates(options.templateDir);
  return {
    renderSlack: slackRenderer(templates, options.slack),
    renderEmail: emailRenderer(templates, options.email),
  };
}
