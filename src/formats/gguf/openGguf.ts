/**
 * Open a GGUF model (llama.cpp / ggml, docs/gguf.md) lazily: only the headers are read, in chunks, and each
 * tensor reads its own bytes when asked. One `.gguf` file, or every split of a `gguf-split` model.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import type { GgufCursorOptions } from './ggufCursor';
import { ggufMetadataRecord } from './ggufMetadata';
import type { GgufPart } from './ggufSplits';
import { orderGgufParts, splitModelName } from './ggufSplits';
import { ggufTensorRef } from './ggufTensorRef';
import { parseGgufHeader } from './parseGgufHeader';
import { placeGgufTensors } from './placeGgufTensors';

/** Settle every promise, then throw the first failure in input order (deterministic, unlike Promise.all). */
async function allInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** Every tensor of the parts, in split order, refusing a name that two splits both hold. */
function joinTensors(parts: readonly GgufPart[]): TensorRef[] {
  const home = new Map<string, string>();
  const tensors: TensorRef[] = [];
  for (const { file, header } of parts) {
    for (const placement of placeGgufTensors(header, file.name, file.blob.size)) {
      const earlier = home.get(placement.info.name);
      if (earlier !== undefined) {
        throw new FormatError('DUPLICATE_TENSOR', `Tensor "${placement.info.name}" is stored twice: in "${earlier}" and in "${file.name}".`, { file: file.name });
      }
      home.set(placement.info.name, file.name);
      tensors.push(ggufTensorRef(file, placement));
    }
  }
  return tensors;
}

async function openUnchecked(files: readonly NamedBlob[], options: GgufCursorOptions): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const parsed = await allInOrder(files.map(async (file) => ({ file, header: await parseGgufHeader(file, options) })));
  const parts = orderGgufParts(parsed);
  const first = parts[0] as GgufPart;
  return {
    format: 'gguf',
    name: parts.length > 1 ? splitModelName(parts) : first.file.name,
    files: parts.map((p) => ({ name: p.file.name, size: p.file.blob.size })),
    tensors: joinTensors(parts),
    metadata: ggufMetadataRecord(first.header.metadata, first.header.version),
  };
}

/**
 * Open a GGUF file, or all splits of a split GGUF model, as one lazy model.
 *
 * - Tensors: in header order (splits in `split.no` order); shapes row-major (ggml's ne reversed); F32, F16,
 *   BF16, F64 and Q8_0 (dequantized) are analysable; integer types and other quantizations are listed with
 *   `unsupported` set, and so are type ids this app does not know.
 * - Metadata: the first split's keys as text (long strings and arrays abbreviated), plus `gguf.version`.
 * - Memory: headers are read in chunks of 64 KiB growing to 8 MiB and not kept; tensor data is never read here.
 *
 * @param files one `.gguf` file, or every split `*-0000k-of-0000N.gguf` of one model
 * @param options header chunk sizes (tests use small ones)
 * @throws FormatError `NO_FILES`, `MULTIPLE_MODELS`, `MISSING_SHARD`, `DUPLICATE_TENSOR`, and those of
 *   `parseGgufHeader` and `placeGgufTensors`; each with the file's first and last 16 bytes as `context`
 */
export async function openGguf(files: readonly NamedBlob[], options: GgufCursorOptions = {}): Promise<Model> {
  try {
    return await openUnchecked(files, options);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
