/**
 * How an ONNX probe session makes its onnxruntime InferenceSession, at open and again after every weight edit
 * (issue 8, part 5): the model bytes (the file's, or with edited values in place: onnxTensorEdit.ts) get the
 * probe's extra graph outputs (onnxGraphEdit.ts) and are loaded with the external data files the model names.
 * The dropped files are only ever read.
 */
import type * as Ort from 'onnxruntime-web';
import type { NamedBlob } from '../../src/model/types';
import { collectOnnxTensors } from '../../src/formats/onnx/collectOnnxTensors';
import { findDataFile } from '../../src/formats/onnx/externalData';
import type { GraphMessage } from '../../src/formats/onnx/onnxSchema';
import type { OnnxValueInfo } from './onnxGraphIo';
import { appendGraphValues } from './onnxGraphEdit';
import { joinParts, replaceOnnxTensors } from './onnxTensorEdit';
import type { OrtModule } from './onnxProbe';
import { ProbeError, errorText } from './probeErrors';

/** TensorProto.DataLocation EXTERNAL. */
const EXTERNAL = 1;

/** The external data files the model's initializers name, as onnxruntime wants them: path as written, bytes. */
async function externalDataOf(graph: GraphMessage, files: readonly NamedBlob[]): Promise<{ path: string; data: Uint8Array }[]> {
  const locations = new Set<string>();
  for (const t of graph.initializer) {
    if (t.data_location !== EXTERNAL) continue;
    const location = t.external_data.find((e) => e.key === 'location')?.value;
    if (location) locations.add(location);
  }
  return Promise.all(
    [...locations].map(async (path) => {
      const file = findDataFile(path, files);
      if (!file) throw new ProbeError('PROBE_RUN_FAILED', `The external data file "${path}" was not dropped with the model.`);
      return { path, data: new Uint8Array(await file.blob.arrayBuffer()) };
    }),
  );
}

/** Makes the InferenceSessions of one opened ONNX model. */
export interface OnnxSessionFactory {
  /**
   * A session of the model with `weights` (by our reader's tensor name, float32 in stored order) in place; `bytes`,
   * when given, are the file's bytes already read (else they are read again from the file).
   */
  create(weights: ReadonlyMap<string, Float32Array>, bytes?: Uint8Array): Promise<Ort.InferenceSession>;
  /** The model file with `weights` in place and no probe outputs, as parts (views of the file and rebuilt pieces). */
  edited(weights: ReadonlyMap<string, Float32Array>): Promise<Uint8Array[]>;
}

/**
 * @param ort onnxruntime-web, loaded
 * @param file the `.onnx` file as dropped
 * @param graph its decoded main graph
 * @param files every dropped file (external data)
 * @param probe the inputs and outputs a probe adds to the graph, and the outputs it already declares
 */
export async function onnxSessionFactory(
  ort: OrtModule,
  file: NamedBlob,
  graph: GraphMessage,
  files: readonly NamedBlob[],
  probe: { readonly inputs: readonly OnnxValueInfo[]; readonly outputs: readonly string[]; readonly declaredOutputs: readonly string[] },
): Promise<OnnxSessionFactory> {
  const externalData = await externalDataOf(graph, files);
  // Our reader's name of a tensor → the value name graph edges use (they differ only for scoped duplicates).
  const valueNames = new Map(collectOnnxTensors(graph, file.name).tensors.map((t) => [t.name, t.valueName]));
  const edited = async (weights: ReadonlyMap<string, Float32Array>, read?: Uint8Array) => {
    const bytes = read ?? new Uint8Array(await file.blob.arrayBuffer());
    try {
      return replaceOnnxTensors(bytes, new Map([...weights].map(([name, values]) => [valueNames.get(name) ?? name, values])));
    } catch (error) {
      throw new ProbeError('PROBE_BAD_EDIT', `The edited weights cannot be written into "${file.name}": ${errorText(error)}`, { cause: error });
    }
  };
  return {
    edited: (weights) => edited(weights),
    async create(weights, read) {
      const bytes = joinParts(await edited(weights, read));
      try {
        return await ort.InferenceSession.create(appendGraphValues(bytes, { inputs: probe.inputs, outputs: probe.outputs }, probe.declaredOutputs), {
          executionProviders: ['wasm'],
          graphOptimizationLevel: 'all',
          ...(externalData.length > 0 ? { externalData } : {}),
        });
      } catch (error) {
        throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime-web could not load "${file.name}"${weights.size > 0 ? ' with the edited weights' : ''}: ${errorText(error)}`, {
          cause: error,
          remedy: 'The model may use operators or types onnxruntime-web does not support; try re-exporting it with a standard opset.',
        });
      }
    },
  };
}
