import { describe, expect, test } from 'vitest';
import { markdownToHtml } from '../../src/runbooks/markdown-to-html.js';

const forbidden = /<(script|style|iframe|img|object|embed|svg|form|input)\b|<[a-z][^>]*\son\w+=|href="(?!https?:|mailto:)/i;

const cases: Array<[string, string, string]> = [
  ['a script block shows as text', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['an inline event handler shows as text', 'x <img src=x onerror=alert(1)>', 'x &lt;img src=x onerror=alert(1)&gt;'],
  ['an iframe shows as text', '<iframe src="https://evil.example"></iframe>', '&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;'],
  ['a style block shows as text', '<style>body{display:none}</style>', '&lt;style&gt;body{display:none}&lt;/style&gt;'],
  ['a javascript: link becomes its text', '[click](javascript:alert(1))', '<p>click</p>'],
  ['a javascript: autolink becomes its text', '<javascript:alert(1)>', '<p>javascript:alert(1)</p>'],
  ['an entity-encoded javascript: link becomes its text', '[x](&#106;avascript:alert(1))', '<p>x</p>'],
  ['a data: link becomes its text', '[x](data:text/html,hi)', '<p>x</p>'],
  ['an https link stays', '[docs](https://d.example/?a=1&b=2)', '<p><a href="https://d.example/?a=1&amp;b=2">docs</a></p>'],
  ['a mailto link stays', '[mail](mailto:oncall@acme.example)', '<p><a href="mailto:oncall@acme.example">mail</a></p>'],
  ['an attribute cannot be broken out of', '[x](https://a.example/"onmouseover="alert(1))', '<a href="https://a.example/&quot;onmouseover=&quot;alert(1)">x</a>'],
  ['an image becomes a link', '![graph](https://i.example/g.png)', '<a href="https://i.example/g.png">[graph]</a>'],
  ['code keeps angle brackets as text', '```\n<b>\n```', '<pre><code>&lt;b&gt;\n</code></pre>'],
];

describe('markdownToHtml', () => {
  test.each(cases)('%s', (_name, markdown, expected) => {
    const html = markdownToHtml(markdown);
    expect(html).toContain(expected);
    expect(html).not.toMatch(forbidden);
  });

  test('inline styles go on the elements marked wrote', () => {
    const html = markdownToHtml('# T\n\n`x` and\n\n```\ny\n```', { h1: 'font-size:18px', code: 'color:red', 'pre code': 'color:blue' });
    expect(html).toContain('<h1 style="font-size:18px">T</h1>');
    expect(html).toContain('<code style="color:red">x</code>');
    expect(html).toContain('<pre><code style="color:blue">y');
  });

  test('a style value cannot inject markup', () => {
    const html = markdownToHtml('text', { p: '"><script>' });
    expect(html).toBe('<p style="&quot;&gt;&lt;script&gt;">text</p>\n');
  });
});
