/**
 * Save a TF.js layers model as the two files a browser loads with `tf.loadLayersModel(url)` (model.json with
 * modelTopology + weightsManifest, and one weights.bin shard), without tfjs-node; and load it back from exactly
 * those bytes.
 */
import * as tf from '@tensorflow/tfjs';

/** The standard TF.js layers format, in memory. */
export interface TfjsLayersFiles {
  /** model.json text (format "layers-model", weightsManifest → `weightsFileName`). */
  readonly modelJson: string;
  /** weights.bin bytes: little-endian float32 weights in weightsManifest order. */
  readonly weightsBin: Uint8Array;
}

/** Serialise `model` (topology + current weights). No training config is stored: the files are for inference. */
export async function saveLayersModel(model: tf.LayersModel, weightsFileName = 'weights.bin'): Promise<TfjsLayersFiles> {
  let files: TfjsLayersFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) throw new Error('model has no weights');
      const weightData = new tf.io.CompositeArrayBuffer(artifacts.weightData).slice();
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs }],
      };
      files = { modelJson: JSON.stringify(json, null, 1) + '\n', weightsBin: new Uint8Array(weightData) };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (files === undefined) throw new Error('save handler was not called');
  return files;
}

/** Load a model from the bytes of model.json + its single weights shard (what the browser would fetch). */
export async function loadLayersModelFromFiles(files: TfjsLayersFiles): Promise<tf.LayersModel> {
  const json = JSON.parse(files.modelJson) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const manifest = json.weightsManifest[0];
  if (manifest === undefined || json.weightsManifest.length !== 1 || manifest.paths.length !== 1) {
    throw new Error('expected one weights group with one shard');
  }
  const bytes = files.weightsBin;
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData }));
}
