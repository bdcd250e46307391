/**
 * Open a TF.js model (a layers or graph `model.json`, or a bare weights manifest) with its weight shards as
 * a lazy {@link Model}: the JSON file is read and parsed, each group's shards are found among the dropped
 * files by base name, every weight is located in its group's concatenated shards, and each tensor reads
 * only its own bytes when asked (a weight that straddles two shards reads from both). Shards are never read
 * whole; only string weights have their length prefixes read at open, to locate the weights after them.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { locateGroupWeights } from './locateTfjsWeights';
import { readJsonFile } from './readJsonFile';
import { shardSpan } from './shardSpan';
import { sniffTfjs } from './sniffTfjs';
import { baseName, isTfjsJsonName, isTfjsShardName } from './tfjsFileNames';
import type { ManifestGroup } from './tfjsManifest';
import { interpretTfjsJson } from './tfjsModelJson';
import { tfjsTensorRef } from './tfjsTensorRef';
import { tfjsWeightUses } from './tfjsWeightUses';

/** How many missing file names an error lists before saying "and N more". */
const MAX_LISTED = 8;

const quoted = (names: readonly string[]) => {
  const shown = names.slice(0, MAX_LISTED).map((n) => `"${n}"`);
  return names.length > MAX_LISTED ? `${shown.join(', ')} and ${names.length - MAX_LISTED} more` : shown.join(', ');
};

/**
 * The one JSON file among the dropped files: the one that sniffs as TF.js, else the one named like it.
 * Files named like shards are not sniffed (nor read at all before a tensor needs them).
 */
async function pickJsonFile(files: readonly NamedBlob[]): Promise<NamedBlob> {
  const unnamed = files.filter((f) => !isTfjsShardName(f.name));
  const heads = await Promise.all(unnamed.map((f) => readBytes(f, 0, Math.min(64, f.blob.size))));
  let candidates = unnamed.filter((f, i) => sniffTfjs(heads[i] as Uint8Array, f.name));
  if (candidates.length === 0) candidates = files.filter((f) => isTfjsJsonName(f.name));
  if (candidates.length > 1) {
    throw new FormatError('MULTIPLE_MODELS', `Several TF.js models were dropped together: ${quoted(candidates.map((f) => f.name))}. Open one at a time.`, {
      file: candidates[1]?.name ?? '',
      remedy: 'Drop one model.json (or one *weights_manifest.json) together with its weight shard files.',
    });
  }
  const json = candidates[0];
  if (!json) {
    throw new FormatError('MISSING_COMPANION', `No TF.js model.json or weights manifest was dropped, only ${quoted(files.map((f) => f.name))}.`, {
      file: files[0]?.name ?? '',
      remedy: 'Drop the model.json (or *weights_manifest.json) together with its weight shard files.',
    });
  }
  return json;
}

/** The dropped file a manifest path names: the same name, else the same base name (also URL-decoded). */
function findShard(path: string, files: readonly NamedBlob[]): NamedBlob | undefined {
  const base = baseName(path);
  let decoded = base;
  try {
    decoded = decodeURIComponent(base);
  } catch {
    // Not URL-encoded after all (a stray `%`): match the name as written.
  }
  return files.find((f) => f.name === path) ?? files.find((f) => baseName(f.name) === base) ?? files.find((f) => baseName(f.name) === decoded);
}

/** Each group's shard files, in `paths` order; throws naming every missing file. */
function groupShards(groups: readonly ManifestGroup[], files: readonly NamedBlob[], jsonFile: string): NamedBlob[][] {
  const missing: string[] = [];
  const shards = groups.map((g) =>
    g.paths.flatMap((path) => {
      const found = findShard(path, files);
      if (!found && !missing.includes(path)) missing.push(path);
      return found ? [found] : [];
    }),
  );
  if (missing.length > 0) {
    const total = new Set(groups.flatMap((g) => g.paths)).size;
    throw new FormatError(
      'MISSING_COMPANION',
      `"${jsonFile}" lists weight files that were not dropped with it: ${quoted(missing)} (${missing.length} of ${total}).`,
      { file: jsonFile, remedy: `Drop "${jsonFile}" together with its weight files: ${quoted(missing.map(baseName))}.` },
    );
  }
  return shards;
}

async function openUnchecked(files: readonly NamedBlob[]): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const jsonFile = await pickJsonFile(files);
  const model = interpretTfjsJson(await readJsonFile(jsonFile), jsonFile.name);
  const others = files.filter((f) => f !== jsonFile);
  const shards = groupShards(model.groups, others, jsonFile.name);
  const uses = tfjsWeightUses(model.kind, model.topology);
  const tensors: TensorRef[] = [];
  const names = new Set<string>();
  for (const group of model.groups) {
    const located = await locateGroupWeights(group, shardSpan(shards[group.index] as NamedBlob[]), { jsonFile: jsonFile.name });
    for (const weight of located) {
      const { name } = weight.entry;
      if (names.has(name)) {
        throw new FormatError('DUPLICATE_TENSOR', `"${jsonFile.name}" lists weight "${name}" twice, so one would hide the other.`, {
          file: jsonFile.name,
          remedy: 'Re-export the model: every weight of a TF.js model must have its own name.',
        });
      }
      names.add(name);
      tensors.push(tfjsTensorRef(weight, uses(name), jsonFile.name));
    }
  }
  const shardFiles = [...new Set(shards.flat())];
  return {
    format: 'tfjs',
    name: jsonFile.name,
    files: [jsonFile, ...shardFiles].map((f) => ({ name: f.name, size: f.blob.size })),
    tensors,
    metadata: { ...model.metadata, weight_files: String(shardFiles.length) },
  };
}

/**
 * Open a TF.js model from its JSON file and weight shards.
 *
 * - Tensors: every manifest weight, in manifest order. float32 weights (plain or uint8/uint16/float16
 *   quantized, decoded exactly as tfjs-core does: decodeTfjsWeight.ts) are read; int32, bool, string,
 *   complex64 and unknown dtypes are listed with `unsupported`.
 * - Each tensor's `op` is its layer's class (layers models) or the graph op that reads it (graph models);
 *   4-D kernels are HWIO, depthwise kernels kind `other` (tfjsTensorRef.ts).
 * - Memory: only the JSON file is read whole; shard bytes are read per tensor on `read()`.
 *
 * @param files the JSON file plus its shard files (other files are ignored)
 * @throws FormatError `NO_FILES`; `MULTIPLE_MODELS`; `MISSING_COMPANION` (no JSON file, or shards named in the
 *   manifest are missing: the message names them); `TRUNCATED` (empty JSON, or a group's shards end before its
 *   weights do); `TOO_LARGE`; `BAD_HEADER_JSON` (with line and column); `BAD_STRUCTURE`; `BAD_HEADER_ENTRY`;
 *   `DUPLICATE_TENSOR`; `READ_FAILED`; each with the file's first and last 16 bytes as `context`
 */
export async function openTfjs(files: readonly NamedBlob[]): Promise<Model> {
  try {
    return await openUnchecked(files);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
