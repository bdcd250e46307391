/**
 * One located TF.js weight as a lazy {@link TensorRef}: dtype and decoding from its manifest entry
 * (tfjsWeightStorage.ts), kind and layout from its shape and the op that uses it (tfjsWeightUses.ts), and a
 * `read()` that reads only its own bytes from the shard(s) holding them.
 *
 * Kinds follow tensorKind.ts (2-D dense, 3-D stack, 4-D conv2d, …) with one exception: a depthwise kernel
 * (kh, kw, C, multiplier) is `other`. Its slices W[i, j, :, :] are not c_out × c_in maps (each input channel
 * feeds only its own `multiplier` outputs, so the per-position operator is block-diagonal), and WeightWatcher
 * skips them too (reshaped to (C·m, 1, kh, kw), M·rf < 10). 4-D conv kernels are HWIO: layoutSource `file`
 * when a conv layer or op says so, `convention` otherwise (TF.js stores every 2-D conv filter as HWIO).
 * `file` is the shard holding the tensor's first byte (a tensor may continue into the next shards).
 */
import type { ConvLayout, LayoutSource, TensorKind, TensorRef } from '../../model/types';
import { FormatError } from '../formatError';
import { tensorKind } from '../tensorKind';
import { decodeTfjsWeight } from './decodeTfjsWeight';
import type { LocatedWeight } from './locateTfjsWeights';
import type { TfjsWeightUse } from './tfjsWeightUses';
import { isDepthwiseName } from './tfjsWeightUses';

function kindAndLayout(shape: readonly number[], use: TfjsWeightUse | null, name: string): { kind: TensorKind; layout?: ConvLayout; layoutSource?: LayoutSource } {
  const kind = tensorKind(shape);
  if (kind !== 'conv2d') return { kind };
  if (use?.depthwise || isDepthwiseName(name)) return { kind: 'other' };
  return { kind, layout: 'HWIO', layoutSource: use?.convKernel ? 'file' : 'convention' };
}

/** The op text: from the topology, or for a depthwise kernel known only by its name, that. */
function opOf(use: TfjsWeightUse | null, name: string, rank: number, role: string | undefined): string | undefined {
  if (use) return use.op;
  if (rank === 4 && isDepthwiseName(name)) return 'depthwise conv (from the weight name)';
  return role === 'optimizer' ? 'optimizer state' : undefined;
}

/**
 * Build the TensorRef of a located weight.
 *
 * @param weight the weight, its storage and its byte range in its group's shards
 * @param use the op that uses it, if the topology says
 * @param jsonFile the model.json / manifest name (for tensors with no bytes, and errors)
 */
export function tfjsTensorRef(weight: LocatedWeight, use: TfjsWeightUse | null, jsonFile: string): TensorRef {
  const { entry, storage, range, span, size } = weight;
  const name = entry.name;
  const unsupported = weight.lost ?? storage.unsupported;
  const code = weight.lost === undefined && storage.dtype !== 'F32' ? 'UNSUPPORTED_DTYPE' : 'UNSUPPORTED_FEATURE';
  const file = (range ? span.fileAt(range.start) : span.files[0])?.name ?? jsonFile;
  const byteLength = range ? range.end - range.start : typeof storage.width === 'number' ? size * storage.width : 0;
  const op = opOf(use, name, entry.shape.length, entry.role);
  const decoder = storage.decoder;
  return {
    name,
    dtype: storage.dtype,
    shape: entry.shape,
    size,
    ...kindAndLayout(entry.shape, use, name),
    file,
    byteLength,
    ...(unsupported !== undefined ? { unsupported } : {}),
    ...(op !== undefined ? { op } : {}),
    ...(storage.encoding !== undefined ? { encoding: storage.encoding } : {}),
    async read() {
      if (unsupported !== undefined || decoder === null || range === null) {
        throw new FormatError(code, `Tensor "${name}" of "${jsonFile}" cannot be read: ${unsupported ?? 'it has no data'}.`, { file: jsonFile });
      }
      const bytes = await span.read(range.start, range.end);
      return decodeTfjsWeight(bytes, decoder, { file, tensor: name });
    },
  };
}
