/**
 * Circuit editing in a probe session (issue 8, part 5): the complete list of weight edits the session runs with,
 * the edited values of the layers it changes (`applyWeightEdits` on the file's values, in stored order), the
 * runtime switched to them, and the edited model written out. The dropped files are never written: the file's
 * values are re-read from them whenever needed (a restored or re-edited layer starts from them again).
 */
import type { WeightEdit, WeightLayout } from '../../src/analysis/curves/weightEdits';
import { applyWeightEdits } from '../../src/analysis/curves/weightEdits';
import { safetensorsParts } from '../../src/formats/safetensors/writeSafetensors';
import type { RawTensorToWrite } from '../../src/formats/safetensors/writeSafetensors';
import { FLOAT_DTYPES } from '../../src/model/types';
import type { ProbeExportFormat, ProbeWeights } from '../probeProtocol';
import { ProbeError, errorText } from './probeErrors';
import type { ActivationSource, RunnableLayer } from './probeSession';

/** What the editor adds to a session (see `ProbeSession`). */
export interface WeightEditor {
  /** The edited values of a layer's weight, or undefined when it runs with the file's (for the U cache). */
  readonly editedValues: (tensor: string) => Float32Array | undefined;
  /** The edit list in force (as last accepted by `edit`). */
  readonly current: () => readonly WeightEdit[];
  weights(layer: RunnableLayer): Promise<ProbeWeights>;
  /** Returns the tensors whose values now differ from the file's, and calls `onChanged` with every tensor whose values changed. */
  edit(edits: readonly WeightEdit[], onChanged: (tensors: readonly string[]) => void): Promise<string[]>;
  exportModel(format: ProbeExportFormat): Promise<{ name: string; blob: Blob }>;
}

/** The layout `applyWeightEdits` reads a layer's stored weight in. */
export function weightLayout(layer: RunnableLayer): WeightLayout {
  return layer.matrix.kind === 'conv' ? layer.matrix.layout : layer.matrix.orientation;
}

/** As float32 (a fresh array: callers may transfer or keep it). */
const float32 = (values: Float32Array | Float64Array) => (values instanceof Float32Array ? values.slice() : Float32Array.from(values));

/** Whether typed arrays are little-endian here (every browser): float32 bytes can then be written as they are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A float32 tensor as safetensors F32 bytes (a view, no copy, on little-endian platforms). */
function f32Tensor(name: string, shape: readonly number[], data: Float32Array): RawTensorToWrite {
  if (LITTLE_ENDIAN) return { name, dtype: 'F32', shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dtype: 'F32', shape, bytes };
}

/** The model's name without its extension (`line-detector.onnx` → `line-detector`). */
const stem = (name: string) => name.replace(/\.[^./]*$/, '') || name;

/** The edits as JSON for the export's metadata: replacement kernels are left out (their length is kept). */
export function editsJson(edits: readonly WeightEdit[]): string {
  return JSON.stringify(edits.map((e) => (e.op === 'replace' ? { tensor: e.tensor, op: e.op, outUnit: e.outUnit, kernelLength: e.kernel.length } : e)));
}

/**
 * The editor of one session.
 *
 * @param source the runtime adapter (its `setWeights` runs the edited values; its `model` lists every tensor)
 * @param layerNamed the session's layer lookup (throws PROBE_NO_SUCH_LAYER)
 */
export function createWeightEditor(source: ActivationSource, layerNamed: (name: string) => RunnableLayer): WeightEditor {
  let edits: readonly WeightEdit[] = [];
  /** The layers whose values differ from the file's: their edited values. */
  let edited = new Map<string, Float32Array>();

  return {
    editedValues: (tensor) => edited.get(tensor),

    current: () => edits,

    async weights(layer) {
      const current = edited.get(layer.tensor);
      // A copy: the reply's buffer is transferred.
      const values = current ? current.slice() : float32(await layer.weight.read());
      return { tensor: layer.tensor, shape: [...layer.weight.shape], layout: weightLayout(layer), values };
    },

    async edit(list, onChanged) {
      const byTensor = new Map<string, WeightEdit[]>();
      for (const e of list) {
        const layer = layerNamed(e.tensor);
        if (!FLOAT_DTYPES.includes(layer.weight.dtype)) {
          throw new ProbeError('PROBE_BAD_EDIT', `"${e.tensor}" is stored as ${layer.weight.dtype}; only float weights can be edited.`);
        }
        byTensor.set(e.tensor, [...(byTensor.get(e.tensor) ?? []), e]);
      }
      const next = new Map<string, Float32Array>();
      for (const [tensor, tensorEdits] of byTensor) {
        const layer = layerNamed(tensor);
        const values = float32(await layer.weight.read());
        let result: { values: Float32Array; changed: number };
        try {
          result = applyWeightEdits(values, layer.weight.shape, weightLayout(layer), tensorEdits);
        } catch (error) {
          throw new ProbeError('PROBE_BAD_EDIT', `An edit of "${tensor}" does not fit it: ${errorText(error)}`, {
            cause: error,
            remedy: `Its units: ${layer.outChannels} outputs; kernels are c_in·kh·kw values in OIHW order.`,
          });
        }
        if (result.changed > 0) next.set(tensor, result.values);
      }
      const changed = [...new Set([...edited.keys(), ...next.keys()])];
      if (changed.length > 0) {
        // The runtime switches first: if it fails, the session keeps running the previous edits.
        await source.setWeights(next);
        onChanged(changed);
      }
      edits = list.map((e) => (e.op === 'replace' ? { ...e, kernel: e.kernel.slice() } : e));
      edited = next;
      return source.layers.filter((l) => edited.has(l.tensor)).map((l) => l.tensor);
    },

    async exportModel(format) {
      const name = `${stem(source.model.name)}.edited.${format}`;
      if (format === 'onnx') {
        if (!source.exportOnnx) {
          throw new ProbeError('PROBE_EXPORT_UNSUPPORTED', `"${source.model.name}" is a ${source.model.format} model: it cannot be exported as ONNX.`, {
            remedy: 'Export it as safetensors: every weight, with the edits applied.',
          });
        }
        // Every part views an ArrayBuffer (the file's bytes or a rebuilt piece), never shared memory.
        return { name, blob: new Blob((await source.exportOnnx(edited)) as BlobPart[]) };
      }
      const tensors: RawTensorToWrite[] = [];
      const layouts = new Set<string>();
      for (const t of source.model.tensors) {
        if (t.unsupported !== undefined || !FLOAT_DTYPES.includes(t.dtype)) continue;
        const current = edited.get(t.name);
        // One tensor at a time: each becomes one part of the Blob, never one big buffer.
        const values = current ?? (await t.read());
        tensors.push(f32Tensor(t.name, t.shape, values instanceof Float32Array ? values : Float32Array.from(values)));
        if (t.kind === 'conv2d' && t.layout) layouts.add(t.layout);
      }
      const metadata: Record<string, string> = { edited_by: 'Artificial MRI', source: source.model.name, edits: editsJson(edits) };
      // Our safetensors reader takes conv kernels as OIHW unless the file says otherwise (TF.js kernels are HWIO).
      if (layouts.size === 1) metadata.conv_layout = [...layouts][0] as string;
      return { name, blob: new Blob(safetensorsParts(tensors, metadata) as BlobPart[]) };
    },
  };
}
