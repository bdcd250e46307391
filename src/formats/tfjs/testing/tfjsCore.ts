/**
 * tfjs itself (4.22, CPU backend), as the reference the reader's decoding is tested against: tfjs-core's
 * `tf.io.decodeWeights` for a group's bytes, and `tf.loadLayersModel` for a whole layers model.
 */
import * as tf from '@tensorflow/tfjs';

/** A manifest entry as tfjs-core types it. */
export type WeightsManifestEntryForTest = tf.io.WeightsManifestEntry;

/** Whole ArrayBuffer copy of bytes (tfjs reads `.buffer`). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/** tfjs-core `decodeWeights` of bytes holding `specs` back to back: name → values. */
export function tfjsCoreDecode(bytes: Uint8Array, specs: readonly WeightsManifestEntryForTest[]): Record<string, ArrayLike<number>> {
  const tensors = tf.io.decodeWeights(ownBuffer(bytes), [...specs]);
  const out: Record<string, ArrayLike<number>> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = t.dataSync() as ArrayLike<number>;
    t.dispose();
  }
  return out;
}

/** The weights of a layers model as `tf.loadLayersModel` loads them from model.json + shard bytes: name → values, in model order. */
export async function tfjsLayersWeights(json: unknown, shards: readonly Uint8Array[]): Promise<Map<string, Float32Array>> {
  const { modelTopology, weightsManifest } = json as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
  const weightSpecs = weightsManifest.flatMap((g) => g.weights);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData: shards.map(ownBuffer) }));
  const weights = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  model.dispose();
  return weights;
}
