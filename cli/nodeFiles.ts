/**
 * Files on disk as the readers' `NamedBlob`s, for the Node CLI. Reads go through one `FileHandle` per file at
 * explicit positions, so a 7 GB model is never loaded whole (Node 20's `fs.openAsBlob` misreports sizes over
 * 4 GiB, hence not used). Folders are expanded to the files inside them, as a browser drop would.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
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
