import { describe, expect, it } from 'vitest';
import { groupCheckpointFiles, isModelFile } from './checkpointFiles';

describe('groupCheckpointFiles', () => {
  it('makes one checkpoint per model file of one folder', () => {
    expect(groupCheckpointFiles(['step_100.safetensors', 'step_200.safetensors', 'notes.txt'])).toEqual([
      { name: 'step_100.safetensors', paths: ['step_100.safetensors'] },
      { name: 'step_200.safetensors', paths: ['step_200.safetensors'] },
    ]);
    expect(groupCheckpointFiles(['run/base.pt', 'run/finetuned.pt'])?.map((g) => g.name)).toEqual(['base.pt', 'finetuned.pt']);
  });

  it('makes one checkpoint per folder of a Trainer output, with the folder name', () => {
    const groups = groupCheckpointFiles(['out/checkpoint-500/model.safetensors', 'out/checkpoint-500/config.json', 'out/checkpoint-1000/model.safetensors', 'out/checkpoint-1000/config.json']);
    expect(groups).toEqual([
      { name: 'checkpoint-500', paths: ['out/checkpoint-500/model.safetensors', 'out/checkpoint-500/config.json'] },
      { name: 'checkpoint-1000', paths: ['out/checkpoint-1000/model.safetensors', 'out/checkpoint-1000/config.json'] },
    ]);
  });

  it('keeps sharded sets, TF.js folders, NumPy arrays and single files as one model', () => {
    expect(groupCheckpointFiles(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json'])).toBeNull();
    expect(groupCheckpointFiles(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'])).toBeNull();
    expect(groupCheckpointFiles(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin'])).toBeNull();
    expect(groupCheckpointFiles(['fc1.npy', 'fc2.npy'])).toBeNull();
    expect(groupCheckpointFiles(['model.safetensors'])).toBeNull();
    expect(groupCheckpointFiles(['model.safetensors', 'README.md'])).toBeNull();
    expect(groupCheckpointFiles([])).toBeNull();
  });

  it('takes a config of the folder along with each file checkpoint and ignores logs', () => {
    expect(groupCheckpointFiles(['a.safetensors', 'b.safetensors', 'adapter_config.json', 'metrics.json'])).toEqual([
      { name: 'a.safetensors', paths: ['a.safetensors', 'adapter_config.json'] },
      { name: 'b.safetensors', paths: ['b.safetensors', 'adapter_config.json'] },
    ]);
  });

  it('recognises model files by extension, case-insensitively, and Windows paths', () => {
    expect(isModelFile('X.SAFETENSORS')).toBe(true);
    expect(isModelFile('a\\b\\model.json')).toBe(true);
    expect(isModelFile('config.json')).toBe(false);
    expect(groupCheckpointFiles(['r\\c-1\\m.pt', 'r\\c-2\\m.pt'])?.map((g) => g.name)).toEqual(['c-1', 'c-2']);
  });
});
