/**
 * The files of a drop, including the contents of dropped folders (a TF.js model folder, a set of shards):
 * directories are walked through the File System Entry API, depth-limited and capped in count.
 */
const MAX_DEPTH = 4;
const MAX_FILES = 2000;

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    // readEntries returns at most ~100 entries per call: call until it returns none.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          if (all.length >= MAX_FILES) resolve(all);
          else next();
        }
      }, reject);
    next();
  });
}

/** A dropped file and its path in the drop (`run/checkpoint-500/model.safetensors`; the name for a loose file). */
export interface DroppedFile {
  readonly file: File;
  readonly path: string;
}

async function walk(entry: FileSystemEntry, depth: number, out: DroppedFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\/+/, '') || file.name });
  } else if (entry.isDirectory && depth < MAX_DEPTH) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, depth + 1, out);
  }
}

/** Files picked in a file input, with their folder path when a folder was picked. */
export function pickedFiles(files: readonly File[]): DroppedFile[] {
  return files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** All files of a drop event, folders expanded; falls back to `dataTransfer.files`. */
export async function droppedFiles(dataTransfer: DataTransfer | null): Promise<DroppedFile[]> {
  if (!dataTransfer) return [];
  const entries = Array.from(dataTransfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null) || !entries.some((e) => e?.isDirectory)) {
    return pickedFiles(Array.from(dataTransfer.files));
  }
  const out: DroppedFile[] = [];
  for (const entry of entries) if (entry) await walk(entry, 0, out);
  return out;
}

/** A dropped file with its path inside the drop (`shapes/cat/1.png` when the folder `shapes` was dropped). */
export interface DroppedFile {
  readonly file: File;
  readonly path: string;
}

async function walkWithPaths(entry: FileSystemEntry, depth: number, out: DroppedFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\/+/, '') || file.name });
  } else if (entry.isDirectory && depth < MAX_DEPTH) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walkWithPaths(child, depth + 1, out);
  }
}

/**
 * Like {@link droppedFiles}, keeping each file's path relative to the drop (the entry's fullPath; for plain files,
 * `webkitRelativePath` or the name): labelled image folders need the folder names.
 */
export async function droppedFilesWithPaths(dataTransfer: DataTransfer | null): Promise<DroppedFile[]> {
  if (!dataTransfer) return [];
  // webkitGetAsEntry works only during the event: read every entry before the first await.
  const entries = Array.from(dataTransfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) {
    return Array.from(dataTransfer.files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
  }
  const out: DroppedFile[] = [];
  for (const entry of entries) if (entry) await walkWithPaths(entry, 0, out);
  return out;
}
