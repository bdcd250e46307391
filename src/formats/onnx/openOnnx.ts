/**
 * Open an ONNX model (onnx.proto `ModelProto`, docs/IR.md) as a lazy {@link Model}: the `.onnx` file is read
 * and decoded with protobufjs (protobuf has no random access, so the whole file is read, up to 2 GiB), its
 * tensors are listed from initializers, sparse initializers and Constant nodes (subgraphs included), and
 * each tensor decodes its own values only when read. External data files are read lazily, tensor by tensor,
 * through `slice()`.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { collectOnnxTensors } from './collectOnnxTensors';
import { MAX_ONNX_BYTES, decodeOnnxModel, int64ToNumber } from './decodeOnnxModel';
import { isOnnxDataName, isOnnxModelName } from './onnxFileNames';
import type { ModelMessage } from './onnxSchema';
import { onnxTensorRef } from './onnxTensorRef';
import { consumerIndex, weightUse } from './onnxWeightUses';
import { sniffOnnx } from './sniffOnnx';

/** IR versions up to this one are read without comment; later ones are refused (ONNX 1.17 writes 10). */
export const MAX_IR_VERSION = 20;

const quoted = (files: readonly NamedBlob[]) => files.map((f) => `"${f.name}"`).join(', ');

/** The one model file among the dropped files: named `.onnx`, else the one that is not a data file and looks like ONNX. */
async function pickModelFile(files: readonly NamedBlob[]): Promise<NamedBlob> {
  let candidates = files.filter((f) => isOnnxModelName(f.name));
  if (candidates.length === 0) candidates = files.filter((f) => !isOnnxDataName(f.name));
  if (candidates.length > 1) {
    const heads = await Promise.all(candidates.map((f) => readBytes(f, 0, Math.min(64, f.blob.size))));
    const sniffed = candidates.filter((f, i) => sniffOnnx(heads[i] as Uint8Array, f.blob.size));
    if (sniffed.length > 0) candidates = sniffed;
  }
  if (candidates.length > 1) {
    throw new FormatError('MULTIPLE_MODELS', `Several ONNX models were dropped together: ${quoted(candidates)}. Open one at a time.`, {
      file: candidates[1]?.name ?? '',
      remedy: 'Drop one .onnx file, together with its external data files if it has any.',
    });
  }
  const model = candidates[0];
  if (!model) {
    throw new FormatError('MISSING_COMPANION', `No .onnx model file was dropped, only ${quoted(files)}, which look like ONNX external data.`, {
      file: files[0]?.name ?? '',
      remedy: 'Drop the .onnx model file together with its external data files.',
    });
  }
  return model;
}

/** Read and decode the model file, refusing sizes protobuf cannot hold. */
async function readModelProto(file: NamedBlob): Promise<ModelMessage> {
  const size = file.blob.size;
  if (size > MAX_ONNX_BYTES) {
    throw new FormatError(
      'TOO_LARGE',
      `"${file.name}" is ${size} bytes; a protobuf (and so an .onnx file) cannot exceed 2 GiB. Models this large keep their weights in external data files.`,
      { file: file.name, remedy: 'Save the model with external data (onnx.save_model(..., save_as_external_data=True)) and drop the .onnx with its data file.' },
    );
  }
  if (size === 0) throw new FormatError('TRUNCATED', `"${file.name}" is empty (0 bytes).`, { file: file.name });
  const model = decodeOnnxModel(await readBytes(file, 0, size), file.name);
  const ir = int64ToNumber(model.ir_version);
  if (ir === null || ir < 1) {
    throw new FormatError('BAD_STRUCTURE', `"${file.name}" decodes as protobuf but has no valid ir_version (found ${String(ir)}), so it is not an ONNX model.`, {
      file: file.name,
    });
  }
  if (ir > MAX_IR_VERSION) {
    throw new FormatError('UNSUPPORTED_VERSION', `"${file.name}" declares ONNX IR version ${ir}; this app reads IR versions 1 to ${MAX_IR_VERSION}.`, {
      file: file.name,
    });
  }
  if (model.graph === null) throw new FormatError('BAD_STRUCTURE', `"${file.name}" is an ONNX ModelProto without a graph, so it holds no weights.`, { file: file.name });
  return model;
}

/** ModelProto's descriptive fields as metadata strings (only those present). */
function modelMetadata(model: ModelMessage): Record<string, string> {
  const entries: [string, string][] = [['ir_version', String(int64ToNumber(model.ir_version))]];
  const producer = [model.producer_name, model.producer_version].filter((s) => s !== '').join(' ');
  if (producer) entries.push(['producer', producer]);
  if (model.domain) entries.push(['domain', model.domain]);
  const version = int64ToNumber(model.model_version);
  if (version) entries.push(['model_version', String(version)]);
  if (model.opset_import.length > 0) {
    entries.push(['opset_import', model.opset_import.map((o) => `${o.domain || 'ai.onnx'} ${int64ToNumber(o.version)}`).join(', ')]);
  }
  if (model.graph?.name) entries.push(['graph', model.graph.name]);
  for (const { key, value } of model.metadata_props) if (key && !entries.some(([k]) => k === key)) entries.push([key, value]);
  return Object.fromEntries(entries);
}

async function openUnchecked(files: readonly NamedBlob[]): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const modelFile = await pickModelFile(files);
  const model = await readModelProto(modelFile);
  const { tensors: found, nodes } = collectOnnxTensors(model.graph as NonNullable<ModelMessage['graph']>, modelFile.name);
  const consumers = consumerIndex(nodes);
  const tensors: TensorRef[] = found.map((t) => {
    const rank = t.kind === 'tensor' ? t.tensor.dims.length : t.kind === 'sparse' ? t.sparse.dims.length : t.dims.length;
    return onnxTensorRef(t, weightUse(t.valueName, rank, consumers), modelFile.name, files);
  });
  const dataFiles = [...new Set(tensors.map((t) => t.file))].filter((name) => name !== modelFile.name);
  return {
    format: 'onnx',
    name: modelFile.name,
    files: [modelFile, ...dataFiles.map((name) => files.find((f) => f.name === name) as NamedBlob)].map((f) => ({ name: f.name, size: f.blob.size })),
    tensors,
    metadata: modelMetadata(model),
  };
}

/**
 * Open an ONNX model from its `.onnx` file and any external data files dropped with it.
 *
 * - Tensors: initializers, sparse initializers (listed, unsupported) and Constant node values, main graph
 *   first, subgraphs where their nodes are; a Constant's tensor is named by the node's output.
 * - Each tensor's `op` is the op that uses it (Conv, ConvTranspose, Gemm, MatMul, or the first consumer);
 *   4-D kernels of Conv are OIHW with layoutSource `file` (ConvTranspose's IOHW kernels are reported as
 *   OIHW: their slices are transposed, which leaves singular values unchanged); other 4-D tensors are OIHW
 *   by ONNX convention.
 * - Float tensors (FLOAT, FLOAT16, BFLOAT16, DOUBLE) are checked for size now and decoded on `read()`;
 *   other dtypes are listed with `unsupported`.
 * - Memory: the `.onnx` file is read whole (protobuf cannot be read in parts); raw_data stays a view into
 *   it until read. External data is never read at open.
 *
 * @param files the `.onnx` file plus its external data files (other files are ignored)
 * @throws FormatError `NO_FILES`, `MULTIPLE_MODELS`, `MISSING_COMPANION` (no .onnx file, or a referenced
 *   external data file was not dropped: the message names it), `TOO_LARGE` (over 2 GiB), `TRUNCATED`,
 *   `BAD_PROTOBUF`, `BAD_STRUCTURE`, `UNSUPPORTED_VERSION`, `DUPLICATE_TENSOR`, `SIZE_MISMATCH`,
 *   `OFFSETS_OUT_OF_BOUNDS`, `READ_FAILED`; each with the file's first and last 16 bytes as `context`
 */
export async function openOnnx(files: readonly NamedBlob[]): Promise<Model> {
  try {
    return await openUnchecked(files);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
