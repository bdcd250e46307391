/**
 * Decoding against tfjs-core itself (4.22, `tf.io.decodeWeights` and `tf.loadLayersModel`): plain float32
 * and uint8 / uint16 / float16 quantized weights must decode to the same float32 bits. It also checks the
 * reference fixtures' rule, "q·scale + min computed in float64, then stored float32" (Math.fround of the
 * float64 expression): tfjs-core evaluates exactly that, so there is no float32-vs-float64 difference to allow for.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../analysis/random/seededRandom';
import { namedFile } from '../testing/memoryBlob';
import type { WeightsManifestEntryForTest } from './testing/tfjsCore';
import { tfjsCoreDecode, tfjsLayersWeights } from './testing/tfjsCore';
import { decodeTfjsWeight } from './decodeTfjsWeight';
import { openTfjs } from './openTfjs';
import { writeTfjs } from './testing/buildTfjs';
import { GRAPH_TOPOLOGY, LAYERS_TOPOLOGY, graphWeights, layersWeights } from './testing/tfjsTestModels';

const source = { file: 'w.bin', tensor: 'w' };
/** Float32 bit patterns, so that −0 and NaN payloads count. */
const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/** (min, scale) pairs: face-api's, tiny and huge scales, ranges far from zero. */
const AFFINE = [
  { min: -0.07101876902229645, scale: 0.0005260649557207145 },
  { min: -1.978059313556764e-6, scale: 1.5952091238361e-8 },
  { min: 5.788674831390381, scale: 0.06814416062598135 },
  { min: -123456.789, scale: 3.3e-3 },
  { min: 0, scale: 1 },
  { min: -1e-30, scale: 7e-33 },
];

describe('decodeTfjsWeight matches tfjs-core decodeWeights bit for bit', () => {
  it.each([8, 16] as const)('uint%i affine dequantization, = Math.fround(q·scale + min)', (bitsPerValue) => {
    const rng = seededRandom(bitsPerValue);
    const count = 4096;
    const q = Array.from({ length: count }, (_, i) => (i < 2 ? i * (2 ** bitsPerValue - 1) : Math.floor(rng() * 2 ** bitsPerValue)));
    const stored = bitsPerValue === 8 ? Uint8Array.from(q) : new Uint8Array(Uint16Array.from(q).buffer);
    for (const { min, scale } of AFFINE) {
      const ours = decodeTfjsWeight(stored.slice(), { kind: 'affine', bits: bitsPerValue, min, scale }, source);
      const spec: WeightsManifestEntryForTest = { name: 'w', shape: [count], dtype: 'float32', quantization: { dtype: bitsPerValue === 8 ? 'uint8' : 'uint16', min, scale } };
      expect(bits(ours)).toEqual(bits(tfjsCoreDecode(stored, [spec])['w'] as Float32Array));
      expect(bits(ours)).toEqual(bits(Float32Array.from(q, (v) => Math.fround(v * scale + min))));
    }
  });

  it('float16 quantization: all 65,536 half-precision values (NaN as NaN)', () => {
    const stored = new Uint8Array(Uint16Array.from({ length: 65536 }, (_, i) => i).buffer);
    const ours = decodeTfjsWeight(stored.slice(), { kind: 'float16' }, source);
    const theirs = tfjsCoreDecode(stored, [{ name: 'w', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } }])['w'] as Float32Array;
    const differing = Array.from(ours.keys()).filter((i) => !Object.is(ours[i], theirs[i]));
    expect(differing).toEqual([]);
    expect(ours.filter(Number.isNaN)).toHaveLength(2 * 1023);
  });

  it('plain float32 and uneven lengths', () => {
    const values = Float32Array.of(1.5, -0, NaN, Infinity, 3.4e38, 1e-45);
    const stored = new Uint8Array(values.buffer.slice(0));
    expect(bits(decodeTfjsWeight(stored.slice(), { kind: 'float32' }, source))).toEqual(bits(tfjsCoreDecode(stored, [{ name: 'w', shape: [6], dtype: 'float32' }])['w'] as Float32Array));
    expect(() => decodeTfjsWeight(new Uint8Array(3), { kind: 'affine', bits: 16, min: 0, scale: 1 }, source)).toThrow(expect.objectContaining({ code: 'SIZE_MISMATCH' }));
    expect(() => decodeTfjsWeight(new Uint8Array(3), { kind: 'float32' }, source)).toThrow(expect.objectContaining({ code: 'SIZE_MISMATCH' }));
  });
});

describe('whole models against tfjs', () => {
  it.each([undefined, 'uint8', 'uint16', 'float16'] as const)('a layers model (quantized: %s) as tf.loadLayersModel reads it, across 3 shards', async (quantize) => {
    const { json, shards } = writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: layersWeights(quantize), shardBytes: 700 }] });
    const model = await openTfjs([namedFile('model.json', JSON.stringify(json)), ...shards.map((s) => namedFile(s.name, s.bytes))]);
    const theirs = await tfjsLayersWeights(json, shards.map((s) => s.bytes));
    expect(model.tensors.map((t) => t.name)).toEqual([...theirs.keys()]);
    for (const t of model.tensors) expect(bits((await t.read()) as Float32Array)).toEqual(bits(theirs.get(t.name) as Float32Array));
  });

  it('a graph model group (float16 and uint16 quantized, weights straddling shards) as decodeWeights reads it', async () => {
    const { json, shards } = writeTfjs({ format: 'graph-model', topology: GRAPH_TOPOLOGY, groups: [{ weights: graphWeights(), shardBytes: 100 }] });
    const model = await openTfjs([namedFile('model.json', JSON.stringify(json)), ...shards.map((s) => namedFile(s.name, s.bytes))]);
    const all = new Uint8Array(shards.reduce((n, s) => n + s.bytes.length, 0));
    shards.reduce((at, s) => (all.set(s.bytes, at), at + s.bytes.length), 0);
    const specs = (json as { weightsManifest: { weights: WeightsManifestEntryForTest[] }[] }).weightsManifest[0]?.weights ?? [];
    const theirs = tfjsCoreDecode(all, specs);
    for (const t of model.tensors.filter((x) => !x.unsupported)) expect(bits((await t.read()) as Float32Array)).toEqual(bits(theirs[t.name] as Float32Array));
  });
});
