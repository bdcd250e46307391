/**
 * Files on disk as the readers' `NamedBlob`s, for the Node CLI. Reads go through one `FileHandle` per file at
 * explicit positions, so a 7 GB model is never loaded whole (Node 20's `fs.openAsBlob` misreports sizes over
 * 4 GiB, hence not used). Folders are expanded to the files inside them, as a browser drop would.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { streamParts } from '../src/formats/safetensors/streamParts';
import type { SafetensorsPart } from '../src/formats/safetensors/writeSafetensors';
import type { BlobLike, NamedBlob } from '../src/model/types';

/** A byte range of an open file. */
class FileRange implements BlobLike {
  constructor(
    private readonly handle: FileHandle,
    private readonly start: number,
    readonly size: number,
  ) {}

  slice(start = 0, end = this.size): BlobLike {
    const from = Math.min(Math.max(start < 0 ? this.size + start : start, 0), this.size);
    const to = Math.min(Math.max(end < 0 ? this.size + end : end, from), this.size);
    return new FileRange(this.handle, this.start + from, to - from);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = new Uint8Array(this.size);
    let done = 0;
    while (done < this.size) {
      const { bytesRead } = await this.handle.read(bytes, done, this.size - done, this.start + done);
      if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${this.start + done}`);
      done += bytesRead;
    }
    return bytes.buffer;
  }
}

/** The open files of one run; `close()` releases their handles. */
export interface OpenedFiles {
  readonly files: readonly NamedBlob[];
  close(): Promise<void>;
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  return (await Promise.all(names.map((n) => expand(join(path, n))))).flat();
}

/**
 * Open paths (files or folders) for reading.
 * @throws Error naming the path when a file does not exist or cannot be read
 */
export async function openFiles(paths: readonly string[]): Promise<OpenedFiles> {
  const all = (await Promise.all(paths.map(expand))).flat();
  const handles: FileHandle[] = [];
  try {
    const files = [];
    for (const path of all) {
      const handle = await open(path, 'r');
      handles.push(handle);
      const { size } = await handle.stat();
      files.push({ name: basename(path), blob: new FileRange(handle, 0, size) });
    }
    return { files, close: async () => void (await Promise.all(handles.map((h) => h.close()))) };
  } catch (error) {
    await Promise.all(handles.map((h) => h.close()));
    throw error;
  }
}

/** Write all of `bytes` at `position` (a write may take fewer bytes than offered). */
async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** A scratch file that keeps computed tensors off the heap until the export is written. */
export interface SpillFile {
  /** Append bytes; the returned range reads them back. */
  store(bytes: Uint8Array): Promise<BlobLike>;
  /** Close and delete the file. */
  close(): Promise<void>;
}

/** Create (or truncate) a spill file at `path`. */
export async function openSpillFile(path: string): Promise<SpillFile> {
  const handle = await open(path, 'w+');
  let end = 0;
  return {
    async store(bytes) {
      await writeAll(handle, bytes, end);
      const range = new FileRange(handle, end, bytes.length);
      end += bytes.length;
      return range;
    },
    async close() {
      await handle.close();
      await rm(path, { force: true });
    },
  };
}

/**
 * Write a file given as parts (`safetensorsParts`: bytes, and ranges of other files read 16 MiB at a time), never
 * holding it whole. It goes to `<path>.partial` first and is renamed to `path` once complete, so a failed or
 * interrupted export leaves no truncated file under the real name.
 *
 * @returns the bytes written
 */
export async function writeParts(parts: readonly SafetensorsPart[], path: string): Promise<number> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  let written = 0;
  let closed = false;
  try {
    for await (const chunk of streamParts(parts)) {
      await writeAll(handle, chunk, written);
      written += chunk.length;
    }
    closed = true;
    await handle.close();
    await rename(partial, path);
    return written;
  } catch (error) {
    if (!closed) await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
}
