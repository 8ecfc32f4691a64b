import type { HtmlStyles } from '../runbooks/markdown-to-html.js';

const mono = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";

/** Inline CSS for a runbook rendered into an email (clients drop `<style>` blocks). */
export const runbookEmailStyles: HtmlStyles = {
  h1: 'margin:16px 0 6px;font-size:18px;line-height:1.3;color:#111827;',
  h2: 'margin:18px 0 6px;font-size:16px;line-height:1.3;color:#111827;',
  h3: 'margin:16px 0 4px;font-size:15px;line-height:1.3;color:#111827;',
  h4: 'margin:14px 0 4px;font-size:14px;color:#111827;',
  h5: 'margin:14px 0 4px;font-size:14px;color:#111827;',
  h6: 'margin:14px 0 4px;font-size:14px;color:#374151;',
  p: 'margin:8px 0;',
  ul: 'margin:8px 0;padding-left:22px;',
  ol: 'margin:8px 0;padding-left:22px;',
  li: 'margin:4px 0;',
  blockquote: 'margin:8px 0;padding:2px 12px;border-left:3px solid #d1d5db;color:#4b5563;',
  pre: 'margin:8px 0;padding:10px 12px;background:#f3f4f6;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;',
  'pre code': `font-family:${mono};font-size:12px;line-height:1.5;color:#111827;`,
  code: `font-family:${mono};font-size:13px;background:#f3f4f6;padding:1px 4px;border-radius:4px;`,
  table: 'border-collapse:collapse;margin:8px 0;font-size:13px;',
  th: 'border:1px solid #e5e7eb;padding:4px 8px;background:#f9fafb;text-align:left;',
  td: 'border:1px solid #e5e7eb;padding:4px 8px;',
  a: 'color:#1d4ed8;',
  hr: 'border:0;border-top:1px solid #e5e7eb;margin:12px 0;',
};
