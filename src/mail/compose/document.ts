/**
 * What a document (or the selected part of it) becomes as a message: the headers its front
 * matter gives, a subject to suggest, and the body. Markdown goes as HTML with its source as
 * the plain-text alternative; any other file as plain text; or either as an attachment.
 * The document itself is only read.
 */
import { basename, extname } from 'node:path';
import { FrontMatterHeaders, parseFrontMatter } from './front-matter';
import { firstMarkdownHeading } from './markdown';

export interface DocumentToSend {
  /** The whole text of the document, as it is in the editor (saved or not). */
  text: string;
  /** VS Code's language id: `markdown` is rendered, anything else goes as plain text. */
  languageId: string;
  /** The document's path or untitled name (`Untitled-1`). */
  fileName: string;
  /** Send only this range of `text` (character offsets, end exclusive). Front matter is never sent. */
  selection?: { start: number; end: number };
  /** Attach the document as a file instead of putting it in the body. */
  asAttachment?: boolean;
}

export interface DraftAttachment {
  filename: string;
  /** With its charset for text: `text/markdown; charset=utf-8`. */
  contentType: string;
  /** Text (the document itself, sent as UTF-8) or a file's bytes. */
  content: string | Buffer;
}

export interface MessageBody {
  /** The text/plain part: the Markdown source, the plain text, or a line about the attachment. */
  text: string;
  /** `text` is Markdown: the message also has an HTML part rendered from it (when it is built). */
  markdown?: boolean;
  attachments: DraftAttachment[];
}

export interface ComposedDocument {
  /** Headers the front matter gives; the UI asks for what is missing. */
  headers: FrontMatterHeaders;
  /** The subject to suggest: the first Markdown heading, else the file name. */
  suggestedSubject: string;
  body: MessageBody;
}

const EXTENSIONS: Record<string, string> = { markdown: '.md', plaintext: '.txt' };

function isMarkdown(languageId: string): boolean {
  return languageId === 'markdown';
}

function displayName(fileName: string): string {
  return basename(fileName.replace(/\\/g, '/')) || 'Untitled';
}

function attachmentName(fileName: string, languageId: string): string {
  const name = displayName(fileName);
  return extname(name) ? name : `${name}${EXTENSIONS[languageId] ?? '.txt'}`;
}

function attachmentType(filename: string, languageId: string): string {
  if (isMarkdown(languageId) || /\.(md|markdown)$/i.test(filename)) return 'text/markdown; charset=utf-8';
  if (/\.html?$/i.test(filename)) return 'text/html; charset=utf-8';
  if (/\.csv$/i.test(filename)) return 'text/csv; charset=utf-8';
  if (/\.json$/i.test(filename)) return 'application/json; charset=utf-8';
  return 'text/plain; charset=utf-8';
}

/** Blank lines at the start: a draft's template leaves one between its front matter and the body. */
const LEADING_BLANK_LINES = /^(?:[ \t]*\r?\n)+/;

/**
 * The part of the document that is sent: the selection (or everything) without the front matter,
 * and without the blank lines that separate the front matter from the body.
 */
function sentText(document: DocumentToSend, bodyOffset: number): string {
  const start = Math.max(document.selection?.start ?? 0, bodyOffset);
  const end = Math.max(start, document.selection?.end ?? document.text.length);
  const text = document.text.slice(start, end);
  return bodyOffset > 0 && start === bodyOffset ? text.replace(LEADING_BLANK_LINES, '') : text;
}

export function composeFromDocument(document: DocumentToSend): ComposedDocument {
  const { headers, bodyOffset } = parseFrontMatter(document.text);
  const text = sentText(document, bodyOffset);
  const fileTitle = displayName(document.fileName);

  if (document.asAttachment) {
    const filename = attachmentName(document.fileName, document.languageId);
    const heading = isMarkdown(document.languageId) ? firstMarkdownHeading(text) : undefined;
    return {
      headers,
      suggestedSubject: heading ?? fileTitle,
      body: {
        text: `The document ${filename} is attached.\n`,
        attachments: [{ filename, contentType: attachmentType(filename, document.languageId), content: text }],
      },
    };
  }
  if (isMarkdown(document.languageId)) {
    return {
      headers,
      suggestedSubject: firstMarkdownHeading(text) ?? fileTitle,
      body: { text, markdown: true, attachments: [] },
    };
  }
  return { headers, suggestedSubject: fileTitle, body: { text, attachments: [] } };
}
