/** A small model description for store tests: tensors of one safetensors file, no bytes behind them. */
import type { ModelInfo, TensorInfo } from '../../model/types';

export const testTensor = (name: string, shape: number[], kind: TensorInfo['kind'] = 'dense'): TensorInfo => ({
  name,
  dtype: 'F32',
  shape,
  size: shape.reduce((a, b) => a * b, 1),
  kind,
  file: 'm.safetensors',
  byteLength: 4 * shape.reduce((a, b) => a * b, 1),
});

export const testModel = (tensors: TensorInfo[]): ModelInfo => ({
  format: 'safetensors',
  name: 'm.safetensors',
  files: [{ name: 'm.safetensors', size: 100 }],
  metadata: {},
  tensors,
});

import type { ProbeClient } from '../../compute/probeClient';
import type { ProbeModelInfo } from '../../../workers/probeProtocol';

/** A probe client that never runs (for store tests that do not probe). */
export const idleProbeClient: ProbeClient = {
  async open(): Promise<ProbeModelInfo> {
    return { runnable: false, reason: 'weights only: probes need a runnable model', layers: [] };
  },
  async run() {
    throw new Error('not used');
  },
  async respond() {
    throw new Error('not used');
  },
  async weights() {
    throw new Error('not used');
  },
  async edit() {
    throw new Error('not used');
  },
  async exportModel() {
    throw new Error('not used');
  },
  async lowRankEffect() {
    throw new Error('not used');
  },
  dispose() {},
};
