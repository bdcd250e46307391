/**
 * The sample model's architecture: a small CNN on 32 × 32 × 1 grey stroke images with named layers
 * conv1, pool1, conv2, pool2, conv3, pool3, flatten, fc1, fc2. Every kernel initializer is seeded (Glorot uniform),
 * biases start at zero, so building it twice gives identical weights.
 */
import * as tf from '@tensorflow/tfjs';

/** Architecture and seeds, recorded in SOURCES.md. */
export const ARCHITECTURE = {
  inputShape: [32, 32, 1] as [number, number, number],
  conv1: { filters: 16, kernelSize: 5 },
  conv2: { filters: 32, kernelSize: 3 },
  conv3: { filters: 32, kernelSize: 3 },
  fc1: { units: 64 },
  /** Seeds of the Glorot-uniform kernel initializers, per layer. */
  initSeeds: { conv1: 101, conv2: 102, conv3: 103, fc1: 104, fc2: 105 },
} as const;

/** The layers whose weights are exported (in order), with their kind. */
export const WEIGHT_LAYERS = [
  { name: 'conv1', kind: 'conv' },
  { name: 'conv2', kind: 'conv' },
  { name: 'conv3', kind: 'conv' },
  { name: 'fc1', kind: 'dense' },
  { name: 'fc2', kind: 'dense' },
] as const;

/** Build the (untrained) model for `classCount` classes. */
export function buildStrokeCnn(classCount: number): tf.Sequential {
  const a = ARCHITECTURE;
  const conv = (name: 'conv1' | 'conv2' | 'conv3', extra: { inputShape?: [number, number, number] } = {}): tf.layers.Layer =>
    tf.layers.conv2d({
      name,
      ...extra,
      filters: a[name].filters,
      kernelSize: a[name].kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: a.initSeeds[name] }),
      biasInitializer: 'zeros',
    });
  const model = tf.sequential({ name: 'stroke_cnn' });
  model.add(conv('conv1', { inputShape: a.inputShape }));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
  model.add(conv('conv2'));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
  model.add(conv('conv3'));
  model.add(tf.layers.maxPooling2d({ name: 'pool3', poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(
    tf.layers.dense({
      name: 'fc1',
      units: a.fc1.units,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: a.initSeeds.fc1 }),
      biasInitializer: 'zeros',
    }),
  );
  model.add(
    tf.layers.dense({
      name: 'fc2',
      units: classCount,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: a.initSeeds.fc2 }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}
