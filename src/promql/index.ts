export { fillWindow, windowPlaceholder } from './fill-window.js';
export { analyzeTemplate, type TemplateAnalysis, type TemplateProblem, type ValueUnit } from './analyze-template.js';
export { parsePromql, type PromqlParse, type PromqlSyntaxError } from './syntax.js';
