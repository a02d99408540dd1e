/**
 * Markdown to the HTML part of a message: markdown-it renders the body, and the result is
 * wrapped into a small complete document (UTF-8, a readable style that mail clients keep).
 * Raw HTML in the Markdown is shown as text, not passed through: what arrives is what the
 * Markdown says.
 */
import MarkdownIt from 'markdown-it';

export interface RenderedMarkdown {
  /** The rendered body, to be wrapped by `htmlDocument`. */
  bodyHtml: string;
  /** The text of the first heading (`#` or underlined), if the document has one. */
  firstHeading?: string;
}

let renderer: MarkdownIt.MarkdownIt | undefined;

function markdownIt(): MarkdownIt.MarkdownIt {
  renderer ??= new MarkdownIt({ html: false, linkify: true, typographer: false });
  return renderer;
}

function headingText(tokens: MarkdownIt.Token[]): string | undefined {
  const open = tokens.findIndex((t) => t.type === 'heading_open');
  if (open < 0) return undefined;
  const text = (tokens[open + 1]?.children ?? [])
    .filter((t) => t.type === 'text' || t.type === 'code_inline' || t.type === 'softbreak')
    .map((t) => (t.type === 'softbreak' ? ' ' : t.content))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

/** Parses once, for both the HTML and the first heading. */
export function renderMarkdown(source: string): RenderedMarkdown {
  const md = markdownIt();
  const tokens = md.parse(source, {});
  return { bodyHtml: md.renderer.render(tokens, md.options, {}), firstHeading: headingText(tokens) };
}

/** The text of the first heading, without rendering. */
export function firstMarkdownHeading(source: string): string | undefined {
  return headingText(markdownIt().parse(source, {}));
}

const STYLE = `body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #1f2328; max-width: 46em; margin: 0 auto; padding: 16px; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
a { color: #0969da; }
code, pre { font-family: Consolas, "SF Mono", Menlo, monospace; font-size: 90%; }
code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
img { max-width: 100%; }`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A complete HTML document around a rendered body. */
export function htmlDocument(bodyHtml: string, title: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
${bodyHtml}</body>
</html>
`;
}
