import { describe, expect, it } from 'vitest';
import { ggmlType, ggmlTypes } from './ggmlTypes';

describe('ggml type table', () => {
  it('has the block layouts of ggml-common.h', () => {
    const layout = (name: string) => {
      const t = ggmlTypes().find((x) => x.name === name);
      return t ? [t.id, t.blockSize, t.typeSize] : null;
    };
    // [id, elements per block, bytes per block] from the block structs' static_asserts.
    expect(layout('F32')).toEqual([0, 1, 4]);
    expect(layout('F16')).toEqual([1, 1, 2]);
    expect(layout('Q4_0')).toEqual([2, 32, 18]);
    expect(layout('Q4_1')).toEqual([3, 32, 20]);
    expect(layout('Q5_0')).toEqual([6, 32, 22]);
    expect(layout('Q5_1')).toEqual([7, 32, 24]);
    expect(layout('Q8_0')).toEqual([8, 32, 34]);
    expect(layout('Q8_1')).toEqual([9, 32, 36]);
    expect(layout('Q2_K')).toEqual([10, 256, 84]);
    expect(layout('Q3_K')).toEqual([11, 256, 110]);
    expect(layout('Q4_K')).toEqual([12, 256, 144]);
    expect(layout('Q5_K')).toEqual([13, 256, 176]);
    expect(layout('Q6_K')).toEqual([14, 256, 210]);
    expect(layout('Q8_K')).toEqual([15, 256, 292]);
    expect(layout('IQ2_XXS')).toEqual([16, 256, 66]);
    expect(layout('IQ2_XS')).toEqual([17, 256, 74]);
    expect(layout('IQ3_XXS')).toEqual([18, 256, 98]);
    expect(layout('IQ1_S')).toEqual([19, 256, 50]);
    expect(layout('IQ4_NL')).toEqual([20, 32, 18]);
    expect(layout('IQ3_S')).toEqual([21, 256, 110]);
    expect(layout('IQ2_S')).toEqual([22, 256, 82]);
    expect(layout('IQ4_XS')).toEqual([23, 256, 136]);
    expect(layout('I8')).toEqual([24, 1, 1]);
    expect(layout('I64')).toEqual([27, 1, 8]);
    expect(layout('F64')).toEqual([28, 1, 8]);
    expect(layout('IQ1_M')).toEqual([29, 256, 56]);
    expect(layout('BF16')).toEqual([30, 1, 2]);
    expect(layout('TQ1_0')).toEqual([34, 256, 54]);
    expect(layout('TQ2_0')).toEqual([35, 256, 66]);
    expect(layout('MXFP4')).toEqual([39, 32, 17]);
    expect(layout('NVFP4')).toEqual([40, 64, 36]);
    expect(layout('Q1_0')).toEqual([41, 128, 18]);
  });

  it('decodes exactly F32, F16, BF16, F64 and Q8_0; lists integers; leaves the rest unsupported', () => {
    const decoded = ggmlTypes().filter((t) => t.decoding === 'float' || t.decoding === 'Q8_0').map((t) => [t.name, t.dtype]);
    expect(decoded).toEqual([['F32', 'F32'], ['F16', 'F16'], ['Q8_0', 'F32'], ['F64', 'F64'], ['BF16', 'BF16']]);
    expect(ggmlTypes().filter((t) => t.decoding === 'integer').map((t) => t.dtype)).toEqual(['I8', 'I16', 'I32', 'I64']);
    expect(ggmlTypes().filter((t) => t.decoding === 'unsupported').every((t) => t.dtype === 'UNKNOWN')).toBe(true);
  });

  it('knows each id once, and no id for removed pre-GGUF types or future ones', () => {
    const ids = ggmlTypes().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ggmlType(4)).toBeNull();
    expect(ggmlType(5)).toBeNull();
    expect(ggmlType(42)).toBeNull();
    expect(ggmlType(31)).toMatchObject({ name: 'Q4_0_4_4', removed: true });
  });
});
