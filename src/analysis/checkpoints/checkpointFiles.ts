/**
 * Whether a drop of files is ONE model or SEVERAL checkpoints of a training run (issue 9: "the user drops N
 * checkpoints of the same architecture (or a folder)"), decided from the paths alone.
 *
 * The rule, `groupCheckpointFiles(paths)`:
 * 1. Model files are those with a weights extension (`.safetensors`, `.pt`, `.pth`, `.bin`, `.ckpt`, `.onnx`,
 *    `.gguf`, `.h5`, `.hdf5`, `.keras`, `.npz`, `.npy`) or a TF.js `model.json`. Other files (configs, logs,
 *    READMEs, a `trainer_state.json`) are not models; they go with the checkpoint of their folder, if any.
 * 2. Files in several folders: each folder holding model files is one checkpoint (`checkpoint-500/`,
 *    `checkpoint-1000/`), named by its folder; two or more such folders make a study.
 * 3. Files in one folder: a study when there are two or more model files and none of them is part of a
 *    multi-file model: a shard (`-00001-of-00003`), a sharded set's `*.index.json`, a TF.js `model.json` (its
 *    `.bin` shards belong to it), or a `.npy` (NumPy saves one array per file). Each file is one checkpoint.
 * 4. Anything else is one model (a single file, a sharded set, a TF.js folder).
 */

/** One checkpoint of a study: its display name and the paths of its files. */
export interface CheckpointGroup {
  readonly name: string;
  readonly paths: readonly string[];
}

const MODEL_EXTENSION = /\.(safetensors|pt|pth|bin|ckpt|onnx|gguf|h5|hdf5|keras|npz|npy)$/i;
const SHARD = /[-_.]\d+-of-\d+\.[A-Za-z0-9]+$/i;
const INDEX = /\.index\.json$/i;

const baseName = (path: string) => path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
const folderOf = (path: string) => {
  const p = path.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
};

/** Whether a path names a model file (rule 1). */
export function isModelFile(path: string): boolean {
  const name = baseName(path);
  return MODEL_EXTENSION.test(name) || name.toLowerCase() === 'model.json';
}

/** Whether files of one folder form one multi-file model rather than separate checkpoints (rule 3). */
function isMultiFileModel(paths: readonly string[]): boolean {
  return paths.some((p) => {
    const name = baseName(p);
    return SHARD.test(name) || INDEX.test(name) || name.toLowerCase() === 'model.json' || /\.npy$/i.test(name);
  });
}

/**
 * The checkpoints of a drop, in the order given, or null when the files are one model.
 *
 * @param paths File paths relative to the drop (a dropped folder's files carry its name, `run/ckpt-1/x.pt`);
 *   plain file names for files dropped without a folder.
 */
export function groupCheckpointFiles(paths: readonly string[]): CheckpointGroup[] | null {
  const models = paths.filter(isModelFile);
  if (models.length < 2) return null;
  const folders = [...new Set(models.map(folderOf))];
  if (folders.length >= 2) {
    return folders.map((folder) => ({
      name: baseName(folder) || folder || '(top level)',
      paths: paths.filter((p) => folderOf(p) === folder),
    }));
  }
  if (isMultiFileModel(paths)) return null;
  const others = paths.filter((p) => !isModelFile(p));
  return models.map((p) => ({ name: baseName(p), paths: [p, ...others.filter((o) => /\.json$/i.test(o) && /config/i.test(baseName(o)))] }));
}
