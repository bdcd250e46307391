/**
 * Open a safetensors model: one file, or the shards of a sharded checkpoint
 * (`model-0000k-of-0000N.safetensors`, see parseShardName.ts) with or without `model.safetensors.index.json`
 * (readShardIndex.ts). Only headers are read; tensors stay lazy.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import type { ShardName } from './parseShardName';
import { isSafetensorsIndexName, parseShardName, siblingShardName } from './parseShardName';
import type { SafetensorsFile } from './readSafetensors';
import { parseConvLayout, readSafetensors } from './readSafetensors';
import type { ShardIndex } from './readShardIndex';
import { readShardIndex } from './readShardIndex';

/** Names in a message: quoted, the first few, then a count. */
function listNames(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}

/**
 * Shard files that should be there but were not dropped: those the index names, and every sibling
 * (1..N) of any `-of-0000N` name seen among the dropped files or in the index.
 */
function missingShards(present: ReadonlySet<string>, index: ShardIndex | null): string[] {
  const expected = new Set(index?.shards ?? []);
  const patterns = [...present, ...expected].map(parseShardName);
  const seen = new Set<string>();
  for (const p of patterns) {
    if (p === null || seen.has(`${p.stem}\0${p.totalText}`)) continue;
    seen.add(`${p.stem}\0${p.totalText}`);
    for (let k = 1; k <= p.total; k++) expected.add(siblingShardName(p, k));
  }
  return [...expected].filter((name) => !present.has(name));
}

/**
 * Check that the data files form one model and return them in shard order, with the display name.
 * Without an index: one file of any name, or shards sharing one stem and total. With an index: the files
 * it names (plus pattern siblings); any other file is a second model.
 */
function planShards(dataFiles: readonly NamedBlob[], index: ShardIndex | null): { ordered: NamedBlob[]; name: string } {
  const parsed = dataFiles.map((f) => ({ file: f, shard: parseShardName(f.name) }));
  const first = parsed.find((p) => p.shard !== null)?.shard ?? null;
  const sameSet = (a: ShardName | null, b: ShardName | null) => a !== null && b !== null && a.stem === b.stem && a.total === b.total;
  let strangers: typeof parsed = [];
  if (index) {
    // A file belongs when the index names it, or when it is a sibling (same stem and total) of a shard it names.
    const named = index.shards.map(parseShardName);
    strangers = parsed.filter((p) => !index.shards.includes(p.file.name) && !named.some((n) => sameSet(n, p.shard)));
  } else if (dataFiles.length > 1) {
    strangers = parsed.filter((p) => !sameSet(p.shard, first));
  }
  if (strangers.length > 0) {
    const names = strangers.map((p) => p.file.name);
    throw new FormatError(
      'MULTIPLE_MODELS',
      index
        ? `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not part of the sharded model described by "${index.file}".`
        : `${listNames(dataFiles.map((f) => f.name))} are separate models, not the shards of one model.`,
      { file: names[0] ?? '' },
    );
  }
  const present = new Set(dataFiles.map((f) => f.name));
  const missing = missingShards(present, index);
  if (missing.length > 0) {
    const found = dataFiles.length === 0 ? 'none was dropped' : `found ${listNames(dataFiles.map((f) => f.name))}`;
    throw new FormatError(
      'MISSING_SHARD',
      `Missing shard${missing.length === 1 ? '' : 's'} ${listNames(missing)} of a sharded model (${found}). Drop all shards together.`,
      { file: missing[0] as string },
    );
  }
  const rank = (f: NamedBlob) => parseShardName(f.name)?.index ?? (index ? index.shards.indexOf(f.name) : 0);
  const ordered = [...dataFiles].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const name = index
    ? index.file.slice(0, -'.safetensors.index.json'.length) || index.file
    : first && dataFiles.length > 0 && dataFiles.every((f) => parseShardName(f.name))
      ? first.stem
      : (dataFiles[0]?.name ?? '');
  return { ordered, name };
}

/** Settle every promise, then throw the first failure in input order (deterministic, unlike Promise.all). */
async function allInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** Join shard tensors, refusing duplicates and checking the index against where each tensor really is. */
function joinTensors(shards: readonly SafetensorsFile[], index: ShardIndex | null): TensorRef[] {
  const home = new Map<string, string>();
  const tensors: TensorRef[] = [];
  for (const shard of shards) {
    for (const t of shard.tensors) {
      const earlier = home.get(t.name);
      if (earlier !== undefined) {
        throw new FormatError('DUPLICATE_TENSOR', `Tensor "${t.name}" is stored twice: in "${earlier}" and in "${t.file}".`, { file: t.file });
      }
      home.set(t.name, t.file);
      tensors.push(t);
    }
  }
  for (const [tensor, shard] of index?.weightMap ?? []) {
    const actual = home.get(tensor);
    if (actual !== shard) {
      throw new FormatError(
        'INDEX_MISMATCH',
        `The index "${index?.file}" puts tensor "${tensor}" in "${shard}", but ${actual === undefined ? 'no shard contains it' : `it is in "${actual}"`}.`,
        { file: index?.file ?? shard },
      );
    }
  }
  return tensors;
}

/** Metadata of all sources, the first value of a key winning (shards in order, then the index). */
function mergeMetadata(sources: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const merged = new Map<string, string>();
  for (const source of sources) for (const [k, v] of Object.entries(source)) if (!merged.has(k)) merged.set(k, v);
  return Object.fromEntries(merged);
}

async function openUnchecked(files: readonly NamedBlob[]): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const indexFiles = files.filter((f) => isSafetensorsIndexName(f.name));
  if (indexFiles.length > 1) {
    throw new FormatError('MULTIPLE_MODELS', `Several shard indexes were dropped together: ${listNames(indexFiles.map((f) => f.name))}.`, {
      file: indexFiles[1]?.name ?? '',
    });
  }
  const index = indexFiles[0] ? await readShardIndex(indexFiles[0]) : null;
  const dataFiles = files.filter((f) => !isSafetensorsIndexName(f.name));
  const { ordered, name } = planShards(dataFiles, index);
  const layoutHint = parseConvLayout(index?.metadata.conv_layout);
  const shards = await allInOrder(ordered.map((f) => readSafetensors(f, layoutHint ? { layoutHint } : {})));
  return {
    format: 'safetensors',
    name,
    files: [...ordered, ...indexFiles].map((f) => ({ name: f.name, size: f.blob.size })),
    tensors: joinTensors(shards, index),
    metadata: mergeMetadata([...shards.map((s) => s.metadata), index?.metadata ?? {}]),
  };
}

/**
 * Open one safetensors file, or a sharded set as one model. Reads only the JSON headers (and the index).
 *
 * - Name: the file name for a single file; the common stem (`model`) for shards.
 * - Tensors: shard by shard (shard number order), each by data offset; `file` = the shard holding it.
 * - Metadata: every shard's `__metadata__` and the index's `metadata`, first value of a key winning.
 *
 * @param files one `.safetensors` file, or every `*-0000k-of-0000N.safetensors` shard, optionally with the
 *   `*.safetensors.index.json`
 * @throws FormatError `NO_FILES`; `MISSING_SHARD` (names the missing files); `MULTIPLE_MODELS`;
 *   `DUPLICATE_TENSOR`; `BAD_INDEX`; `INDEX_MISMATCH` (the index puts a tensor in a shard that lacks it);
 *   and every error of `readSafetensors`, with the file's first and last 16 bytes as `context`
 */
export async function openSafetensors(files: readonly NamedBlob[]): Promise<Model> {
  try {
    return await openUnchecked(files);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
