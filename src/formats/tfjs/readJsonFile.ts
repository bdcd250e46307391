/**
 * Read a TF.js JSON file (`model.json` or a weights manifest) whole and parse it, with errors that say
 * where the text breaks. The JSON is the model's whole header: real ones are kilobytes (layers models) to a
 * few megabytes (large graph models).
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { jsonSyntaxErrorOffset, lineAndColumn } from './jsonSyntaxErrorOffset';

/** Largest JSON file read (256 MiB): far above real model.json files, well below engines' string limits. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** Up to 40 characters of `text` from `offset`, control characters escaped, for a message. */
function excerpt(text: string, offset: number): string {
  const raw = text.slice(offset, offset + 40);
  // Control characters are exactly what this escapes.
  // eslint-disable-next-line no-control-regex
  const shown = raw.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return raw.length === 0 ? 'the end of the file' : `«${shown}${text.length > offset + 40 ? '…' : ''}»`;
}

/** The message for text that `JSON.parse` refused. */
function syntaxMessage(file: string, text: string, cause: unknown): string {
  const why = cause instanceof Error ? cause.message : String(cause);
  const offset = jsonSyntaxErrorOffset(text);
  if (offset === null) return `"${file}" is not valid JSON (${why}).`;
  const { line, column } = lineAndColumn(text, offset);
  const what = offset >= text.length ? 'the JSON ends early' : `unexpected ${excerpt(text, offset)}`;
  return `"${file}" is not valid JSON: at line ${line}, column ${column} (character ${offset} of ${text.length}) ${what}.`;
}

/**
 * Read and parse a JSON file. A UTF-8 byte order mark is allowed (and dropped).
 *
 * @returns the parsed value (any JSON value: the caller checks its shape)
 * @throws FormatError `TRUNCATED` (empty file), `TOO_LARGE` (over {@link MAX_JSON_BYTES}), `BAD_HEADER_JSON`
 *   (not UTF-8, or not JSON: the message gives the line, column and character where it breaks), `READ_FAILED`
 */
export async function readJsonFile(file: NamedBlob): Promise<unknown> {
  const name = file.name;
  const size = file.blob.size;
  if (size === 0) throw new FormatError('TRUNCATED', `"${name}" is empty (0 bytes), so it holds no TF.js model.`, { file: name });
  if (size > MAX_JSON_BYTES) {
    throw new FormatError('TOO_LARGE', `"${name}" is ${size} bytes; a TF.js model.json or weights manifest of more than ${MAX_JSON_BYTES} bytes is not read.`, {
      file: name,
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(file, 0, size));
  } catch (cause) {
    if (cause instanceof FormatError) throw cause;
    throw new FormatError('BAD_HEADER_JSON', `"${name}" is not UTF-8 text, so it is not a TF.js model.json or weights manifest.`, { file: name, cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new FormatError('BAD_HEADER_JSON', syntaxMessage(name, text, cause), { file: name, cause });
  }
}
