import { describe, expect, it } from 'vitest';
import { isTruncatable, notAnalysedReason } from './analysable';
import type { TensorInfo } from './types';

const tensor = (over: Partial<TensorInfo>): TensorInfo => ({ name: 'w', dtype: 'F32', shape: [4, 3], size: 12, kind: 'dense', file: 'm.safetensors', byteLength: 48, ...over });

describe('isTruncatable', () => {
  it('accepts analysed dense and conv weights', () => {
    expect(isTruncatable(tensor({}))).toBe(true);
    expect(isTruncatable(tensor({ kind: 'conv2d', shape: [8, 4, 3, 3], size: 288, layout: 'OIHW' }))).toBe(true);
    expect(isTruncatable(tensor({ dtype: 'BF16' }))).toBe(true);
  });

  it('refuses what has no matrix of its own to replace', () => {
    expect(isTruncatable(tensor({ kind: 'vector', shape: [4], size: 4 }))).toBe(false);
    expect(isTruncatable(tensor({ kind: 'stack', shape: [2, 4, 3], size: 24 }))).toBe(false);
    expect(isTruncatable(tensor({ dtype: 'I32' }))).toBe(false);
    expect(isTruncatable(tensor({ loraFactorOf: 'fc1.lora_BA.weight' }))).toBe(false);
    const update = tensor({
      lowRank: { method: 'lora', convention: 'peft', layerKind: 'linear', a: 'fc1.lora_A.weight', b: 'fc1.lora_B.weight', rank: 2, scale: 1, scaleSource: 'assumed', scaleKnown: false },
    });
    expect(notAnalysedReason(update)).toBeNull();
    expect(isTruncatable(update)).toBe(false);
  });
});
