import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { findLoraPairs, loraScale, loraSingularValues } from './lora';
import type { NamedShape } from './matchLayers';

const t = (name: string, ...shape: number[]): NamedShape => ({ name, shape });

/** scale·B·A formed densely: B out×r, A r×in, row-major. */
function denseProduct(a: Float64Array, b: Float64Array, r: number, out: number, inputs: number, scale: number): Float64Array {
  const w = new Float64Array(out * inputs);
  for (let i = 0; i < out; i++) {
    for (let l = 0; l < r; l++) {
      const f = scale * (b[i * r + l] as number);
      for (let j = 0; j < inputs; j++) w[i * inputs + j] = (w[i * inputs + j] as number) + f * (a[l * inputs + j] as number);
    }
  }
  return w;
}

/** Largest |x − y| / max(|y|, floor·y₀) over the leading x.length values of y (the rest of y must be ~0). */
function compareSpectra(x: Float64Array, y: Float64Array): number {
  const top = y[0] ?? 0;
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / Math.max(y[i] as number, 1e-3 * top));
  return worst;
}

describe('findLoraPairs', () => {
  it('pairs PEFT adapters, with and without the adapter name, and guesses the target weight', () => {
    const scan = findLoraPairs([
      t('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', 8, 4096),
      t('base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight', 4096, 8),
      t('model.layers.0.mlp.up_proj.lora_B.default.weight', 11008, 8),
      t('model.layers.0.mlp.up_proj.lora_A.default.weight', 8, 4096),
      t('base_model.model.lm_head.weight', 32000, 4096),
    ]);
    expect(scan.pairs).toEqual([
      {
        base: 'base_model.model.model.layers.0.self_attn.q_proj',
        convention: 'peft',
        kind: 'linear',
        A: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
        B: 'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
        rank: 8,
        rows: 4096,
        cols: 4096,
        targetWeight: 'model.layers.0.self_attn.q_proj.weight',
      },
      {
        base: 'model.layers.0.mlp.up_proj',
        adapter: 'default',
        convention: 'peft',
        kind: 'linear',
        A: 'model.layers.0.mlp.up_proj.lora_A.default.weight',
        B: 'model.layers.0.mlp.up_proj.lora_B.default.weight',
        rank: 8,
        rows: 11008,
        cols: 4096,
        targetWeight: 'model.layers.0.mlp.up_proj.weight',
      },
    ]);
    expect(scan.unmatched).toEqual([]);
    expect(scan.others).toEqual(['base_model.model.lm_head.weight']);
  });

  it('pairs kohya adapters with their alpha, including conv adapters', () => {
    const scan = findLoraPairs([
      t('lora_unet_down_blocks_0_attentions_0_proj_in.alpha'),
      t('lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight', 4, 320, 3, 3),
      t('lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight', 320, 4, 1, 1),
      t('lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight', 4, 768),
      t('lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight', 3072, 4),
    ]);
    expect(scan.pairs).toHaveLength(2);
    expect(scan.pairs[0]).toEqual({
      base: 'lora_unet_down_blocks_0_attentions_0_proj_in',
      convention: 'kohya',
      kind: 'conv',
      A: 'lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight',
      B: 'lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight',
      rank: 4,
      rows: 320,
      cols: 320 * 9,
      kernel: [3, 3],
      alphaTensor: 'lora_unet_down_blocks_0_attentions_0_proj_in.alpha',
    });
    expect(scan.pairs[1]).toMatchObject({ kind: 'linear', rank: 4, rows: 3072, cols: 768 });
    expect(scan.pairs[1]?.alphaTensor).toBeUndefined();
  });

  it('recognises diffusers processors, PEFT embeddings and DoRA magnitudes', () => {
    const scan = findLoraPairs([
      t('unet.mid.attn1.processor.to_q_lora.down.weight', 4, 1280),
      t('unet.mid.attn1.processor.to_q_lora.up.weight', 1280, 4),
      t('base_model.model.embed_tokens.lora_embedding_A', 16, 32000),
      t('base_model.model.embed_tokens.lora_embedding_B', 4096, 16),
      t('m.q_proj.lora_A.weight', 8, 64),
      t('m.q_proj.lora_B.weight', 64, 8),
      t('m.q_proj.lora_magnitude_vector.weight', 64),
    ]);
    expect(scan.pairs.map((p) => [p.convention, p.kind, p.base, p.rows, p.cols])).toEqual([
      ['diffusers', 'linear', 'unet.mid.attn1.processor.to_q', 1280, 1280],
      ['peft', 'embedding', 'base_model.model.embed_tokens', 4096, 32000],
      ['peft', 'linear', 'm.q_proj', 64, 64],
    ]);
    expect(scan.pairs[2]?.magnitudeTensor).toBe('m.q_proj.lora_magnitude_vector.weight');
  });

  it('lists partners that are missing or do not fit, and leaves lone alphas alone', () => {
    const scan = findLoraPairs([
      t('a.lora_A.weight', 8, 16),
      t('b.lora_up.weight', 16, 4),
      t('c.lora_A.weight', 8, 16),
      t('c.lora_B.weight', 16, 4),
      t('d.lora_down.weight', 4, 16, 3, 3),
      t('d.lora_up.weight', 16, 4, 3, 3),
      t('act.alpha'),
    ]);
    expect(scan.pairs).toEqual([]);
    expect(scan.unmatched).toEqual([
      { name: 'a.lora_A.weight', reason: "no LoRA B (up) factor for 'a'" },
      { name: 'b.lora_up.weight', reason: "no LoRA A (down) factor for 'b'" },
      { name: 'c.lora_A.weight', reason: 'the ranks differ (A has 8 rows, B 4 columns): A [8, 16], B [16, 4]' },
      { name: 'c.lora_B.weight', reason: 'the ranks differ (A has 8 rows, B 4 columns): A [8, 16], B [16, 4]' },
      { name: 'd.lora_down.weight', reason: "B's kernel dimensions must be 1: A [4, 16, 3, 3], B [16, 4, 3, 3]" },
      { name: 'd.lora_up.weight', reason: "B's kernel dimensions must be 1: A [4, 16, 3, 3], B [16, 4, 3, 3]" },
    ]);
    expect(scan.others).toEqual(['act.alpha']);
  });
});

describe('loraScale', () => {
  it('is alpha / r (PEFT, kohya), alpha / √r (rsLoRA), 1 without alpha', () => {
    expect(loraScale(16, 8)).toBe(2);
    expect(loraScale(16, 4, 'rslora')).toBe(8);
    expect(loraScale(undefined, 8)).toBe(1);
    expect(() => loraScale(16, 0)).toThrow(RangeError);
    expect(() => loraScale(NaN, 8)).toThrow(RangeError);
  });
});

describe('loraSingularValues', () => {
  it('matches the dense product’s singular values to 1e-10 (seeded random adapters, property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 2, -0.5, 1e-3),
        (r, out, inputs, seed, scale) => {
          const a = gaussianMatrix(r, inputs, seed);
          const b = gaussianMatrix(out, r, seed + 1);
          const got = loraSingularValues(a, b, r, out, inputs, scale);
          const want = singularValues(denseProduct(a, b, r, out, inputs, scale), out, inputs);
          expect(got).toHaveLength(Math.min(r, out, inputs));
          expect(compareSpectra(got, want)).toBeLessThan(1e-10);
        },
      ),
      { seed: 41, numRuns: 80 },
    );
  });

  it('gives zeros for the missing directions of a rank-deficient adapter', () => {
    const r = 6;
    const out = 30;
    const inputs = 20;
    // B's last three columns repeat its first three: rank(B·A) = 3.
    const a = gaussianMatrix(r, inputs, 7);
    const b = gaussianMatrix(out, r, 8);
    for (let i = 0; i < out; i++) for (let l = 3; l < r; l++) b[i * r + l] = b[i * r + l - 3] as number;
    const got = loraSingularValues(a, b, r, out, inputs, 2);
    const want = singularValues(denseProduct(a, b, r, out, inputs, 2), out, inputs);
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - want[i]!) / want[i]!).toBeLessThan(1e-10);
    for (let i = 3; i < r; i++) expect(got[i]!).toBeLessThan(1e-13 * got[0]!);
    // A zero adapter (B = 0 at initialisation, as PEFT does) has ΔW = 0.
    expect(Array.from(loraSingularValues(a, new Float64Array(out * r), r, out, inputs))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('accepts float32 factors and conv adapters as stored', () => {
    // A r×in×kh×kw and B out×r×1×1 are r×(in·kh·kw) and out×r matrices as they lie in memory.
    const a = Float32Array.from(gaussianMatrix(4, 8 * 9, 3));
    const b = Float32Array.from(gaussianMatrix(16, 4, 4));
    const got = loraSingularValues(a, b, 4, 16, 72);
    const want = singularValues(denseProduct(Float64Array.from(a), Float64Array.from(b), 4, 16, 72, 1), 16, 72);
    expect(compareSpectra(got, want)).toBeLessThan(1e-10);
  });

  it('throws RangeError on bad sizes or scale', () => {
    expect(() => loraSingularValues(new Float64Array(8), new Float64Array(8), 2, 4, 5)).toThrow(RangeError);
    expect(() => loraSingularValues(new Float64Array(8), new Float64Array(7), 2, 4, 4)).toThrow(RangeError);
    expect(() => loraSingularValues(new Float64Array(8), new Float64Array(8), 2, 4, 4, Infinity)).toThrow(RangeError);
    expect(() => loraSingularValues(new Float64Array(0), new Float64Array(0), -1, 4, 4)).toThrow(RangeError);
  });
});
