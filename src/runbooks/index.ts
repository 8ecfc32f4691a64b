export { loadRunbook, runbookUrl, type RunbookRef } from './load-runbook.js';
export { markdownToMrkdwn } from './markdown-to-mrkdwn.js';
export { markdownToHtml, type HtmlStyles } from './markdown-to-html.js';
export { trimMrkdwn, splitMrkdwn, cutAtBoundary } from './trim.js';
export { escapeSlack, isSafeHref } from './slack-escape.js';
