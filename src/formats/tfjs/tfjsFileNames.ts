/**
 * File names of TF.js models (tfjs-core `io`, tfjs-converter):
 *
 * - `model.json`: a layers or graph model (topology + `weightsManifest`); `tf.io.browserDownloads('name')`
 *   saves `name.json`, which the sniffer recognises by content instead.
 * - `*weights_manifest.json`: a bare weights manifest (face-api.js and other weights-only releases).
 * - weight shards: `group1-shard1of3.bin` (tfjs-converter, `tf.io.http`; converters before 1.0 wrote no
 *   `.bin`), `name-shard1` (face-api.js releases), and anything else a manifest names: `name.weights.bin`
 *   (`tf.io.browserDownloads`), `weights.bin` (hand-written savers), `name.bin` (face-api.js npm releases).
 *   Those reach the reader as files no other reader claims (`acceptsUnclaimedFiles`), matched by base name.
 */

/**
 * The file name endings the registry falls back to when sniffing fails (a damaged `model.json` still gets a
 * precise error). Deliberately not plain `.json`: the registry's extension fallback would then claim every
 * `config.json` or `tokenizer.json` dropped beside a safetensors or PyTorch model and fail the drop with
 * MULTIPLE_MODELS.
 */
export const TFJS_FILE_ENDINGS: readonly string[] = ['model.json', 'weights_manifest.json'];

/** The last path component of a file name or manifest path (`/` or `\` separated). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Whether a name is a TF.js JSON file by its name alone: `model.json`, `*model.json`, `*weights_manifest.json`. */
export function isTfjsJsonName(name: string): boolean {
  const lower = baseName(name).toLowerCase();
  return !isSafetensorsIndexName(lower) && TFJS_FILE_ENDINGS.some((ending) => lower.endsWith(ending));
}

/** Whether a name is a safetensors shard index (`model.safetensors.index.json`), which is never TF.js. */
export function isSafetensorsIndexName(name: string): boolean {
  return name.toLowerCase().endsWith('.safetensors.index.json');
}

/**
 * Whether a name is recognisably a TF.js weight shard: ends in `shard<k>of<n>.bin` or `shard<k>of<n>`
 * (tfjs-converter, `tf.io.http`), or in `-shard<k>` (face-api.js releases). Companions are decided before any
 * reader sniffs, so this stays narrow: a plain `*.bin` or `weights.bin` is not claimed, because PyTorch
 * checkpoints (`pytorch_model.bin`), ONNX external data and even safetensors files can carry those names.
 * Shards named otherwise still reach the reader as files no reader claims (`acceptsUnclaimedFiles`).
 */
export function isTfjsShardName(name: string): boolean {
  const lower = baseName(name).toLowerCase();
  return /shard\d+of\d+(\.bin)?$/.test(lower) || /-shard\d+$/.test(lower);
}
