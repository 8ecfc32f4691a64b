import { Marked, type Tokens } from 'marked';
import { isSafeHref } from './slack-escape.js';

/** CSS for elements of rendered Markdown, added as `style` attributes (email clients drop `<style>`). */
export type HtmlStyles = Partial<Record<HtmlStyledElement, string>>;
export type HtmlStyledElement =
  | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'p' | 'ul' | 'ol' | 'li' | 'blockquote' | 'pre' | 'pre code'
  | 'code' | 'table' | 'th' | 'td' | 'a' | 'hr';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const marked = new Marked({
  async: false,
  gfm: true,
  breaks: false,
  renderer: {
    // Raw HTML in a runbook is shown as text, never passed through.
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p>${escapeHtml(text.trimEnd())}</p>\n` : escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const label = this.parser.parseInline(tokens);
      if (!isSafeHref(href)) return label;
      const titleAttribute = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttribute}>${label}</a>`;
    },
    // Images become links: remote images are blocked by most mail clients and could track readers.
    image({ href, text }: Tokens.Image): string {
      const label = escapeHtml(text || 'image');
      return isSafeHref(href) ? `<a href="${escapeHtml(href)}">[${label}]</a>` : `[${label}]`;
    },
  },
});

/**
 * HTML for email from Markdown: raw HTML is escaped, links other than http(s)/mailto become plain text,
 * images become links; scripts, styles and iframes cannot appear. `styles` adds inline CSS per element.
 */
export function markdownToHtml(markdown: string, styles: HtmlStyles = {}): string {
  const html = marked.parse(markdown) as string;
  return applyStyles(html, styles);
}

// Every `<` left in the output starts an element marked itself wrote (text is escaped), so matching tags is safe.
function applyStyles(html: string, styles: HtmlStyles): string {
  const attribute = (element: HtmlStyledElement) => {
    const css = styles[element];
    return css ? ` style="${escapeHtml(css)}"` : '';
  };
  return html
    .replace(/<pre><code( class="[^"]*")?>/g, (_whole, cls: string | undefined) =>
      `<pre${attribute('pre')}><code${cls ?? ''}${attribute('pre code')}>`,
    )
    .replace(/<(h[1-6]|p|ul|ol|li|blockquote|table|th|td|a|hr|code)(?=[\s>/])(?![^>]*\sstyle=)/g, (whole, tag: string) =>
      `${whole}${attribute(tag as HtmlStyledElement)}`,
    );
}
