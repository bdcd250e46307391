import { describe, expect, it } from 'vitest';
import { findLoraPairs, loraScale } from '../analysis/checkpoints';
import { gaussianMatrix } from '../analysis/testing/exactSvdMatrix';
import { openModel } from '../formats/registry';
import { writeSafetensors } from '../formats/safetensors/writeSafetensors';
import { namedFile } from '../formats/testing/memoryBlob';
import { notAnalysedReason } from './analysable';
import { loraProduct, virtualName, withLoraAdapters } from './loraModel';
import type { Model, NamedBlob } from './types';
import { toModelInfo } from './types';

const OUT = 24;
const IN = 16;
const R = 4;
const Q = 'base_model.model.layers.0.q_proj';
const V = 'base_model.model.layers.0.v_proj';
const a32 = (seed: number, rows = R, cols = IN) => Float32Array.from(gaussianMatrix(rows, cols, seed));

/** A PEFT adapter file: two LoRA pairs and a bias, plus optional metadata. */
function peftFile(metadata: Record<string, string> = {}): NamedBlob {
  return namedFile(
    'adapter_model.safetensors',
    writeSafetensors(
      [
        { name: `${Q}.lora_A.weight`, dtype: 'F32', shape: [R, IN], data: a32(1) },
        { name: `${Q}.lora_B.weight`, dtype: 'F32', shape: [OUT, R], data: a32(2, OUT, R) },
        { name: 'base_model.model.layers.0.bias', dtype: 'F32', shape: [OUT], data: new Float32Array(OUT) },
        { name: `${V}.lora_A.weight`, dtype: 'F32', shape: [R, IN], data: a32(3) },
        { name: `${V}.lora_B.weight`, dtype: 'F32', shape: [OUT, R], data: a32(4, OUT, R) },
      ],
      metadata,
    ),
  );
}

async function open(files: NamedBlob[]): Promise<Model> {
  return withLoraAdapters(await openModel(files), findLoraPairs, files);
}

const config = (json: object) => namedFile('adapter_config.json', JSON.stringify(json));

describe('withLoraAdapters', () => {
  it('adds one B·A tensor per pair before its factors, named as WeightWatcher names it, and marks the factors', async () => {
    const model = await open([peftFile(), config({ r: R, lora_alpha: 8 })]);
    expect(model.tensors.map((t) => t.name)).toEqual([
      `${Q}.lora_BA.weight`,
      `${Q}.lora_A.weight`,
      `${Q}.lora_B.weight`,
      'base_model.model.layers.0.bias',
      `${V}.lora_BA.weight`,
      `${V}.lora_A.weight`,
      `${V}.lora_B.weight`,
    ]);
    const [virtual, a, b] = model.tensors;
    expect(virtual).toMatchObject({ kind: 'dense', shape: [OUT, IN], size: OUT * IN, dtype: 'F32', file: 'adapter_model.safetensors' });
    expect(virtual?.lowRank).toEqual({
      method: 'lora',
      convention: 'peft',
      layerKind: 'linear',
      a: `${Q}.lora_A.weight`,
      b: `${Q}.lora_B.weight`,
      rank: R,
      scale: 2,
      scaleSource: 'adapter_config.json: lora_alpha = 8, r = 4 → α/r = 2',
      scaleKnown: true,
      targetWeight: 'layers.0.q_proj.weight',
    });
    expect(notAnalysedReason(virtual!)).toBeNull();
    expect(a?.loraFactorOf).toBe(`${Q}.lora_BA.weight`);
    expect(notAnalysedReason(b!)).toContain('LoRA factor');
    expect(notAnalysedReason(model.tensors[3]!)).toContain('1-D');
    // What crosses the worker boundary has no functions and no factor refs.
    const info = toModelInfo(model);
    expect(() => structuredClone(info)).not.toThrow();
    expect(info.tensors[0]).not.toHaveProperty('factors');
  });

  it('reads the virtual tensor as scale·B·A, and its factors as stored', async () => {
    const model = await open([peftFile(), config({ r: R, lora_alpha: 12 })]);
    const [virtual, a, b] = model.tensors;
    const [va, vb] = [await a!.read(), await b!.read()];
    expect(Array.from(va)).toEqual(Array.from(a32(1)));
    const w = await virtual!.read();
    const expected = new Float64Array(OUT * IN);
    for (let i = 0; i < OUT; i++) for (let j = 0; j < IN; j++) for (let l = 0; l < R; l++) expected[i * IN + j] = (expected[i * IN + j] as number) + 3 * (vb[i * R + l] as number) * (va[l * IN + j] as number);
    expect(w).toBeInstanceOf(Float32Array);
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(expected[i] as number, 5);
  });

  it('takes the scale from adapter_config.json (rsLoRA, alpha_pattern), metadata, or says it is unknown', async () => {
    const rs = await open([peftFile(), config({ r: R, lora_alpha: 8, use_rslora: true })]);
    expect(rs.tensors[0]?.lowRank?.scale).toBe(loraScale(8, R, 'rslora'));
    const pattern = await open([peftFile(), config({ r: R, lora_alpha: 8, alpha_pattern: { v_proj: 32 } })]);
    expect(pattern.tensors[0]?.lowRank?.scale).toBe(2);
    expect(pattern.tensors[4]?.lowRank).toMatchObject({ scale: 8, scaleSource: expect.stringContaining('alpha_pattern["v_proj"] = 32') });
    const packed = await open([peftFile({ format: 'pt', lora_adapter_metadata: JSON.stringify({ r: R, lora_alpha: 2 }) })]);
    expect(packed.tensors[0]?.lowRank).toMatchObject({ scale: 0.5, scaleKnown: true, scaleSource: expect.stringContaining('metadata lora_adapter_metadata') });
    const prefixed = await open([peftFile({ lora_adapter_metadata: JSON.stringify({ 'base_model.r': R, 'base_model.lora_alpha': 16 }) })]);
    expect(prefixed.tensors[0]?.lowRank?.scale).toBe(4);
    const noAlpha = await open([peftFile(), config({ r: R })]);
    expect(noAlpha.tensors[0]?.lowRank).toMatchObject({ scale: loraScale(8, R), scaleSource: expect.stringContaining("PEFT's default 8") });
    const none = await open([peftFile()]);
    expect(none.tensors[0]?.lowRank).toMatchObject({ scale: 1, scaleKnown: false, scaleSource: expect.stringContaining('scale 1 assumed') });
    const broken = await open([peftFile(), namedFile('adapter_config.json', '{ not json')]);
    expect(broken.tensors[0]?.lowRank?.scaleKnown).toBe(false);
  });

  it('kohya adapters: the alpha tensor, else ss_network_alpha, else scale 1; conv adapters become unfold matrices', async () => {
    const m = 'lora_unet_down_blocks_0_attentions_0_proj_in';
    const c = 'lora_unet_conv_in';
    const file = namedFile(
      'kohya.safetensors',
      writeSafetensors(
        [
          { name: `${m}.lora_down.weight`, dtype: 'F32', shape: [R, IN], data: a32(5) },
          { name: `${m}.lora_up.weight`, dtype: 'F32', shape: [OUT, R], data: a32(6, OUT, R) },
          { name: `${m}.alpha`, dtype: 'F32', shape: [], data: Float32Array.of(2) },
          { name: `${c}.lora_down.weight`, dtype: 'F32', shape: [R, 3, 3, 3], data: a32(7, R, 27) },
          { name: `${c}.lora_up.weight`, dtype: 'F32', shape: [8, R, 1, 1], data: a32(8, 8, R) },
        ],
        { ss_network_alpha: '1' },
      ),
    );
    const model = await open([file]);
    const names = model.tensors.map((t) => t.name);
    expect(names).toEqual([`${m}.lora_BA.weight`, `${m}.lora_down.weight`, `${m}.lora_up.weight`, `${m}.alpha`, `${c}.lora_BA.weight`, `${c}.lora_down.weight`, `${c}.lora_up.weight`]);
    expect(model.tensors[0]?.lowRank).toMatchObject({ convention: 'kohya', scale: 0.5, scaleSource: expect.stringContaining('alpha tensor') });
    expect(model.tensors[3]?.loraFactorOf).toBe(`${m}.lora_BA.weight`);
    expect(model.tensors[4]).toMatchObject({ kind: 'dense', shape: [8, 27], lowRank: { layerKind: 'conv', kernel: [3, 3], scale: 0.25, scaleSource: expect.stringContaining('ss_network_alpha') } });
    const conv = await model.tensors[4]!.read();
    expect(conv.length).toBe(8 * 27);
  });

  it('leaves a model without adapters as it is, and names collisions apart', async () => {
    const plain = await openModel([namedFile('m.safetensors', writeSafetensors([{ name: 'fc.weight', dtype: 'F32', shape: [2, 2], data: new Float32Array(4) }]))]);
    expect(await withLoraAdapters(plain, findLoraPairs)).toBe(plain);
    expect(virtualName({ A: 'x.lora_A.default.weight', base: 'x' })).toBe('x.lora_BA.default.weight');
    expect(virtualName({ A: 'x.lora_embedding_A', base: 'x' })).toBe('x.lora_embedding_BA');
    expect(virtualName({ A: 'unet_lora.down.weight', base: 'unet' })).toBe('unet_lora.BA.weight');
    expect(virtualName({ A: 'x.lora_A.weight', base: 'x' }, new Set(['x.lora_BA.weight']))).toBe('x (B·A)');
  });

  it('loraProduct checks its lengths and keeps float64 factors in float64', () => {
    expect(() => loraProduct(new Float32Array(3), new Float32Array(4), 2, 2, 2, 1)).toThrow(RangeError);
    const w = loraProduct(Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 2, 0.5, 'F64');
    expect(w).toBeInstanceOf(Float64Array);
    expect(Array.from(w)).toEqual([1.5, 3, 2, 4]);
  });
});
