/**
 * The files a document's front matter lists under `attachments:`, read before anything connects:
 * a path that is missing, a folder or unreadable stops the send with its name, so a message
 * never leaves without the file its text promises.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { detectMimeType } from 'nodemailer/lib/mime-funcs/mime-types';
import { ExplainedError } from '../../errors';
import type { DraftAttachment } from './document';

const FIX = 'Correct the path under `attachments:` in the front matter, or remove it. Nothing was sent.';

function absolutePath(path: string, documentFolder: string | undefined): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  if (isAbsolute(path)) return path;
  if (documentFolder) return resolve(documentFolder, path);
  throw new ExplainedError(`The attachment "${path}" is a relative path, and the document is not saved, so it is relative to nothing.`,
    'Write the absolute path of the file, or save the document and write the path relative to it. Nothing was sent.',
    { code: 'attachment-relative' });
}

/**
 * Reads each file, in the order listed; relative paths are taken from `documentFolder` (the
 * saved document's folder). Throws an ExplainedError naming the first file that cannot be attached.
 */
export async function readAttachmentFiles(paths: readonly string[], documentFolder: string | undefined): Promise<DraftAttachment[]> {
  const files = paths.map((path) => ({ path, absolute: absolutePath(path, documentFolder) }));
  for (const { path, absolute } of files) {
    const info = await stat(absolute).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      const missing = info.code === 'ENOENT' || info.code === 'ENOTDIR';
      throw new ExplainedError(missing ? `The attachment "${path}" does not exist (${absolute}).` : `The attachment "${path}" cannot be read: ${info.message}`,
        FIX, { code: missing ? 'attachment-missing' : 'attachment-unreadable', cause: info });
    }
    if (info.isDirectory()) {
      throw new ExplainedError(`The attachment "${path}" is a folder (${absolute}); only files can be attached.`,
        `${FIX} To send a folder, attach a zip of it.`, { code: 'attachment-is-folder' });
    }
  }
  return Promise.all(files.map(async ({ path, absolute }) => {
    const content = await readFile(absolute).catch((err: Error) => {
      throw new ExplainedError(`The attachment "${path}" cannot be read: ${err.message}`, FIX, { code: 'attachment-unreadable', cause: err });
    });
    const filename = basename(absolute);
    return { filename, contentType: detectMimeType(filename), content };
  }));
}
