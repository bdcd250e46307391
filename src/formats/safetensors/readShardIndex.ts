/**
 * Read a safetensors shard index, `model.safetensors.index.json` (Hugging Face transformers
 * `SAFE_WEIGHTS_INDEX_NAME`): `{ "metadata"?: { "total_size": … }, "weight_map": { tensor: shardFileName } }`.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { MAX_HEADER_BYTES } from './parseSafetensorsHeader';

/** A validated shard index. */
export interface ShardIndex {
  /** The index file's name. */
  readonly file: string;
  /** tensor name → shard file name (base name: any directory part is dropped). */
  readonly weightMap: ReadonlyMap<string, string>;
  /** The shard file names, in order of first appearance. */
  readonly shards: readonly string[];
  /** `metadata` with every value as a string (numbers such as `total_size` as their JSON text). */
  readonly metadata: Readonly<Record<string, string>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Read and validate a shard index file (at most 100 MiB; real ones are kilobytes).
 *
 * @throws FormatError `BAD_INDEX` when the file is too large, not UTF-8 JSON, or lacks an object `weight_map`
 *   of strings; `READ_FAILED`
 */
export async function readShardIndex(file: NamedBlob): Promise<ShardIndex> {
  const name = file.name;
  const bad = (what: string, cause?: unknown) =>
    new FormatError('BAD_INDEX', `The shard index "${name}" ${what}.`, cause === undefined ? { file: name } : { file: name, cause });
  if (file.blob.size > MAX_HEADER_BYTES) throw bad(`is ${file.blob.size} bytes, too large for an index (limit 100 MiB)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(file, 0, file.blob.size)));
  } catch (cause) {
    if (cause instanceof FormatError) throw cause;
    throw bad(`is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, cause);
  }
  if (!isPlainObject(json) || !isPlainObject(json.weight_map)) throw bad('has no "weight_map" object');
  const weightMap = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(json.weight_map)) {
    if (typeof shard !== 'string' || shard === '') throw bad(`maps tensor "${tensor}" to ${JSON.stringify(shard)}, not a file name`);
    weightMap.set(tensor, shard.slice(shard.lastIndexOf('/') + 1));
  }
  const rawMetadata = json.metadata ?? {};
  if (!isPlainObject(rawMetadata)) throw bad('has a "metadata" entry that is not an object');
  const metadata = Object.fromEntries(
    Object.entries(rawMetadata).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))]),
  );
  return { file: name, weightMap, shards: [...new Set(weightMap.values())], metadata };
}
