import { describe, expect, test } from 'vitest';
import { markdownToMrkdwn } from '../../src/runbooks/markdown-to-mrkdwn.js';

const cases: Array<[string, string, string]> = [
  ['a heading becomes a bold line', '# Checkout down', '*Checkout down*'],
  ['emphasis inside a heading is not doubled', '## The **real** fix', '*The real fix*'],
  ['strong becomes single-asterisk bold', 'a **bold** word', 'a *bold* word'],
  ['underscore emphasis stays underscore', 'an _emphasised_ word', 'an _emphasised_ word'],
  ['asterisk emphasis becomes underscore', 'an *emphasised* word', 'an _emphasised_ word'],
  ['strikethrough uses one tilde', '~~gone~~', '~gone~'],
  ['inline code is kept and escaped', 'run `a < b && c`', 'run `a &lt; b &amp;&amp; c`'],
  ['a fenced block keeps its lines and drops the language', '```promql\nsum(x) > 0\n```', '```\nsum(x) &gt; 0\n```'],
  ['a link becomes <url|text>', '[Grafana](https://g.example/d?a=1&b=2)', '<https://g.example/d?a=1&amp;b=2|Grafana>'],
  ['an autolink keeps only the URL', 'see https://x.example/a', 'see <https://x.example/a>'],
  ['a javascript: link is dropped to its text', '[click](javascript:alert(1))', 'click'],
  ['a relative link is dropped to its text', '[other](other.md)', 'other'],
  ['a pipe in a link label cannot end the label', '[a|b](https://x.example)', '<https://x.example|a¦b>'],
  ['text is escaped as Slack requires', 'a & b < c > d', 'a &amp; b &lt; c &gt; d'],
  ['an entity is decoded, then escaped', 'AT&amp;T &copy; &#x2192; &lt;', 'AT&amp;T © → &lt;'],
  ['raw HTML shows as text', 'x <b>y</b>', 'x &lt;b&gt;y&lt;/b&gt;'],
  ['a channel mention cannot be injected', '<!channel> now', '&lt;!channel&gt; now'],
  ['soft line breaks join the paragraph', 'one\ntwo', 'one two'],
  ['a hard break stays a newline', 'one  \ntwo', 'one\ntwo'],
  ['a bullet list uses •', '- a\n- b', '• a\n• b'],
  ['a numbered list keeps its start', '3. c\n4. d', '3. c\n4. d'],
  ['nested lists are indented', '- a\n  - b\n    1. c', '• a\n    • b\n        1. c'],
  ['task items show boxes', '- [ ] todo\n- [x] done', '• ☐ todo\n• ☑ done'],
  ['a blockquote prefixes every line', '> one\n>\n> two', '> one\n>\n> two'],
  ['a heading sticks to its paragraph', '# H\n\ntext', '*H*\ntext'],
  ['paragraphs are separated by a blank line', 'a\n\nb', 'a\n\nb'],
  [
    'a table becomes an aligned code block',
    '| name | n |\n|---|--:|\n| x | 1 |\n| longer | 22 |',
    '```\nname     n\n------  --\nx        1\nlonger  22\n```',
  ],
  ['an image becomes a link', '![graph](https://i.example/g.png)', '<https://i.example/g.png|graph>'],
];

describe('markdownToMrkdwn', () => {
  test.each(cases)('%s', (_name, markdown, expected) => {
    expect(markdownToMrkdwn(markdown)).toBe(expected);
  });
});
