/**
 * Small TF.js models shared by the reader's tests, fuzz test and fixtures: a layers model (Conv2D,
 * DepthwiseConv2D, Flatten, Dense, as tfjs-layers serialises a Sequential model) and a graph model
 * (GraphDef JSON with `_FusedConv2D`, `DepthwiseConv2dNative` and `MatMul` behind an `Identity`).
 */
import type { NamedBlob } from '../../../model/types';
import { namedFile } from '../../testing/memoryBlob';
import type { GroupToWrite, TfjsModelToWrite, WeightToWrite } from './buildTfjs';
import { wave, writeTfjs } from './buildTfjs';

/** A Sequential topology tfjs-layers 4.22 loads: conv1 3×3×3×8, dw 3×3×8×1 (on 6×6×3 inputs), flatten, fc 32×10. */
export const LAYERS_TOPOLOGY = {
  class_name: 'Sequential',
  config: {
    name: 'tiny_cnn',
    layers: [
      { class_name: 'Conv2D', config: { name: 'conv1', filters: 8, kernel_size: [3, 3], batch_input_shape: [null, 6, 6, 3], padding: 'valid' } },
      { class_name: 'DepthwiseConv2D', config: { name: 'dw', kernel_size: [3, 3], depth_multiplier: 1 } },
      { class_name: 'Flatten', config: { name: 'flatten' } },
      { class_name: 'Dense', config: { name: 'fc', units: 10 } },
    ],
  },
  keras_version: 'tfjs-layers 4.22.0',
  backend: 'tensor_flow.js',
};

/** The weights of {@link LAYERS_TOPOLOGY}, deterministic, optionally quantized (kernels only, as a choice of the test). */
export function layersWeights(quantize?: WeightToWrite['quantize']): WeightToWrite[] {
  const q = quantize ? { quantize } : {};
  return [
    { name: 'conv1/kernel', shape: [3, 3, 3, 8], values: wave(216, 0, 0.3), ...q },
    { name: 'conv1/bias', shape: [8], values: wave(8, 1, 0.05) },
    { name: 'dw/depthwise_kernel', shape: [3, 3, 8, 1], values: wave(72, 2, 0.4), ...q },
    { name: 'dw/bias', shape: [8], values: wave(8, 3, 0.05) },
    { name: 'fc/kernel', shape: [32, 10], values: wave(320, 4, 0.2), ...q },
    { name: 'fc/bias', shape: [10], values: wave(10, 5, 0.05) },
  ];
}

/** A GraphDef JSON node. */
function node(name: string, op: string, input: string[] = []): Record<string, unknown> {
  return { name, op, input, attr: {} };
}

/** A graph topology: x → _FusedConv2D(w1, b1) → DepthwiseConv2dNative(dw) → Reshape → MatMul(Identity(fc)). */
export const GRAPH_TOPOLOGY = {
  node: [
    node('x', 'Placeholder'),
    node('w1', 'Const'),
    node('b1', 'Const'),
    node('dw', 'Const'),
    node('fc', 'Const'),
    node('shape', 'Const'),
    node('conv', '_FusedConv2D', ['x', 'w1', 'b1']),
    node('depthwise', 'DepthwiseConv2dNative', ['conv', 'dw:0']),
    node('flat', 'Reshape', ['depthwise', 'shape', '^w1']),
    node('fc/read', 'Identity', ['fc']),
    node('logits', 'MatMul', ['flat', 'fc/read']),
  ],
  library: {},
  versions: { producer: 1645 },
};

/** The weights of {@link GRAPH_TOPOLOGY}. */
export function graphWeights(): WeightToWrite[] {
  return [
    { name: 'w1', shape: [3, 3, 3, 4], values: wave(108, 10, 0.3) },
    { name: 'b1', shape: [4], values: wave(4, 11, 0.05) },
    { name: 'dw', shape: [3, 3, 4, 2], values: wave(72, 12, 0.3), quantize: 'float16' },
    { name: 'fc', shape: [32, 5], values: wave(160, 13, 0.2), quantize: 'uint16' },
    { name: 'shape', shape: [2], dtype: 'int32', values: [-1, 32] },
  ];
}

/** A model's files as named in-memory blobs: the JSON file first, then the shards. */
export function modelFiles(model: TfjsModelToWrite, jsonName = 'model.json', space?: number): NamedBlob[] {
  const { json, shards } = writeTfjs(model);
  return [namedFile(jsonName, JSON.stringify(json, null, space)), ...shards.map((s) => namedFile(s.name, s.bytes))];
}

/** The layers model as files (one group; `shardBytes` splits it). */
export function layersModelFiles(options: { quantize?: WeightToWrite['quantize']; shardBytes?: number } = {}): NamedBlob[] {
  const group: GroupToWrite = { weights: layersWeights(options.quantize), ...(options.shardBytes ? { shardBytes: options.shardBytes } : {}) };
  return modelFiles({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [group] });
}
