import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { isOnnxDataName, isOnnxModelName } from './onnxFileNames';
import { sniffOnnx } from './sniffOnnx';

/**
 * The ONNX reader (onnx.proto `ModelProto`): `.onnx` files with weights in initializers or Constant nodes,
 * optionally with external data files dropped alongside.
 *
 * - `sniff`: the file starts like a ModelProto (`ir_version` first, then ModelProto fields; see sniffOnnx.ts).
 *   A damaged `.onnx` file that fails the sniff still reaches `open` through the extension.
 * - `companion`: names that are recognisably ONNX external data (`*.onnx.data`, `*.onnx_data`, `*.data`,
 *   `weights.pb`, …; see onnxFileNames.ts) and that are not themselves `.onnx` files.
 * - `open`: `openOnnx` (openOnnx.ts), loaded on first use so that protobufjs (with this reader ~130 KB minified, ~40 KB gzipped) stays out of
 *   the bundle until an ONNX file is opened; `sniff` and `companion` have no dependencies.
 */
export const onnxReader: FormatReader = {
  id: 'onnx',
  label: 'ONNX',
  extensions: ['.onnx'],
  note: 'with external data files',
  sniff: (head: Uint8Array, file: NamedBlob) => sniffOnnx(head, file.blob.size),
  companion: (file: NamedBlob) => !isOnnxModelName(file.name) && isOnnxDataName(file.name),
  acceptsUnclaimedFiles: true,
  open: async (files) => (await import('./openOnnx')).openOnnx(files),
};
