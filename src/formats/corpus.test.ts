/**
 * The reader regression corpus, as data (after Netron's `test/models.json`): each case names its files,
 * the expected format and tensor counts, or the expected error code, and why it is here. Cases marked
 * `e2e` read the committed files of `e2e/fixtures/`, which must also still match their builders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model, NamedBlob } from '../model/types';
import { analysableTensorNames } from '../model/analysable';
import type { FormatErrorCode } from './formatError';
import { FormatError } from './formatError';
import { openModel } from './registry';
import { writeSafetensors } from './safetensors/writeSafetensors';
import { buildSafetensors, concatBytes, entry } from './testing/buildSafetensors';
import { E2E_FIXTURES } from './testing/e2eFixtures';
import { namedFile } from './testing/memoryBlob';

const FIXTURES = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures');

/** A committed e2e fixture as a file named by its base name (as a browser drop would name it). */
function fixture(path: string): NamedBlob {
  return namedFile(path.slice(path.lastIndexOf('/') + 1), new Uint8Array(readFileSync(join(FIXTURES, ...path.split('/')))));
}

interface CorpusCase {
  readonly name: string;
  /** Why the case exists: the spec section, bug or feature it pins down. */
  readonly why: string;
  readonly files: () => NamedBlob[];
  /** Expected outcome: an opened model ... */
  readonly format?: string;
  readonly tensors?: number;
  readonly analysable?: number;
  readonly assert?: (model: Model) => void | Promise<void>;
  /** ... or an error with this code, about this file. */
  readonly error?: FormatErrorCode;
  readonly errorFile?: string;
}

const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => i / n);
const SHARDS = ['sharded/model-00001-of-00002.safetensors', 'sharded/model-00002-of-00002.safetensors'];

const CORPUS: readonly CorpusCase[] = [
  // e2e fixtures (e2e/fixtures/README.md)
  { name: 'e2e tiny-mlp', why: 'F32 MLP, the basic case', files: () => [fixture('tiny-mlp.safetensors')], format: 'safetensors', tensors: 6, analysable: 3 },
  {
    name: 'e2e tiny-cnn-f16',
    why: 'F16 decoding; 4-D kernels OIHW by convention',
    files: () => [fixture('tiny-cnn-f16.safetensors')],
    format: 'safetensors',
    tensors: 6,
    analysable: 3,
    assert: async (m) => {
      expect(m.tensors[0]).toMatchObject({ name: 'conv1.weight', dtype: 'F16', kind: 'conv2d', layout: 'OIHW', layoutSource: 'convention' });
      expect((await m.tensors[0]!.read()).every(Number.isFinite)).toBe(true);
    },
  },
  {
    name: 'e2e sharded with index',
    why: 'sharded checkpoints open as one model',
    files: () => [...SHARDS, 'sharded/model.safetensors.index.json'].map(fixture),
    format: 'safetensors',
    tensors: 5,
    analysable: 3,
    assert: (m) => expect(m.name).toBe('model'),
  },
  { name: 'e2e sharded without index', why: 'the -of-N pattern alone suffices', files: () => SHARDS.map(fixture), format: 'safetensors', tensors: 5, analysable: 3 },
  { name: 'e2e one shard', why: 'a missing shard is named', files: () => [fixture(SHARDS[0]!)], error: 'MISSING_SHARD', errorFile: 'model-00002-of-00002.safetensors' },
  { name: 'e2e truncated-header', why: 'header length past EOF', files: () => [fixture('truncated-header.safetensors')], error: 'TRUNCATED' },
  { name: 'e2e bad-json', why: 'invalid JSON header', files: () => [fixture('bad-json.safetensors')], error: 'BAD_HEADER_JSON' },
  { name: 'e2e offsets-out-of-bounds', why: 'data_offsets past EOF', files: () => [fixture('offsets-out-of-bounds.safetensors')], error: 'OFFSETS_OUT_OF_BOUNDS' },
  {
    name: 'e2e unsupported-dtype',
    why: 'an I8 tensor is listed, the model still opens',
    files: () => [fixture('unsupported-dtype.safetensors')],
    format: 'safetensors',
    tensors: 4,
    analysable: 2,
    assert: (m) => expect(m.tensors.find((t) => t.dtype === 'I8')?.unsupported).toMatch(/not supported for analysis/),
  },
  {
    name: 'e2e nan-weights',
    why: 'non-finite weights open as data; the scan, not the reader, flags them',
    files: () => [fixture('nan-weights.safetensors')],
    format: 'safetensors',
    tensors: 2,
    analysable: 2,
  },
  // ONNX (e2e/fixtures/onnx/README.md)
  {
    name: 'e2e onnx tiny-cnn',
    why: 'initializers, a Constant-node weight, ops from consumers, an INT64 shape constant listed only',
    files: () => [fixture('onnx/tiny-cnn.onnx')],
    format: 'onnx',
    tensors: 8,
    analysable: 4,
    assert: (m) => {
      expect(m.tensors.find((t) => t.name === 'conv1.weight')).toMatchObject({ kind: 'conv2d', layout: 'OIHW', layoutSource: 'file', op: 'Conv' });
      expect(m.tensors.find((t) => t.name === 'head.w')).toMatchObject({ op: 'MatMul' });
    },
  },
  {
    name: 'e2e onnx external data',
    why: 'weights in a companion data file, read lazily',
    files: () => ['onnx/external/tiny-mlp.onnx', 'onnx/external/tiny-mlp.onnx.data'].map(fixture),
    format: 'onnx',
    analysable: 2,
  },
  {
    name: 'e2e onnx external data under another name',
    why: 'a data file no reader claims still reaches the ONNX reader',
    files: () => [fixture('onnx/external/tiny-mlp.onnx'), namedFile('tiny-mlp.onnx.data', new Uint8Array(readFileSync(join(FIXTURES, 'onnx', 'external', 'tiny-mlp.onnx.data'))))],
    format: 'onnx',
    analysable: 2,
  },
  { name: 'e2e onnx missing data file', why: 'the missing companion is named', files: () => [fixture('onnx/missing-external-data.onnx')], error: 'MISSING_COMPANION' },
  { name: 'e2e onnx truncated', why: 'a cut-off protobuf', files: () => [fixture('onnx/truncated.onnx')], error: 'TRUNCATED' },
  // Keras (e2e/fixtures/keras/README.md)
  {
    name: 'e2e keras 2 h5',
    why: 'Keras 2 model.save: layer_names / weight_names attributes, HWIO kernels, layer classes as ops',
    files: () => [fixture('keras/tiny-cnn-keras2.h5')],
    format: 'keras',
    tensors: 7,
    analysable: 3,
    assert: (m) => {
      expect(m.tensors.filter((t) => t.kind === 'conv2d').every((t) => t.layout === 'HWIO')).toBe(true);
    },
  },
  { name: 'e2e keras 3 archive', why: 'Keras 3 .keras zip with model.weights.h5', files: () => [fixture('keras/tiny-cnn.keras')], format: 'keras', tensors: 7, analysable: 3 },
  { name: 'e2e keras truncated', why: 'superblock says the file is longer', files: () => [fixture('keras/truncated.h5')], error: 'TRUNCATED' },
  { name: 'e2e keras corrupt', why: 'damaged root object header', files: () => [fixture('keras/corrupt.h5')], error: 'BAD_HDF5' },
  { name: 'e2e hdf5 not keras', why: 'valid HDF5 without Keras structure', files: () => [fixture('keras/not-keras.h5')], error: 'BAD_STRUCTURE' },
  // NumPy (e2e/fixtures/numpy/README.md)
  { name: 'e2e npy', why: 'one float32 matrix', files: () => [fixture('numpy/dense-64x32.npy')], format: 'numpy', tensors: 1, analysable: 1 },
  { name: 'e2e npz stored', why: 'np.savez: conv, dense, f16, and an int array listed only', files: () => [fixture('numpy/arrays.npz')], format: 'numpy', tensors: 5, analysable: 3 },
  { name: 'e2e npz deflated', why: 'np.savez_compressed', files: () => [fixture('numpy/arrays-compressed.npz')], format: 'numpy', tensors: 5, analysable: 3 },
  { name: 'numpy fortran f8', why: 'written by NumPy 2.4: Fortran order', files: () => [fixture('numpy/numpy-2.4/fortran-f8.npy')], format: 'numpy', tensors: 1, analysable: 1 },
  // PyTorch (e2e/fixtures/pytorch/README.md)
  {
    name: 'e2e pytorch state_dict',
    why: 'torch.save zip checkpoint, OIHW by convention',
    files: () => [fixture('pytorch/tiny-cnn.pt')],
    format: 'pytorch',
    tensors: 6,
    analysable: 3,
    assert: (m) => expect(m.tensors.find((t) => t.name === 'conv1.weight')).toMatchObject({ kind: 'conv2d', layout: 'OIHW' }),
  },
  { name: 'e2e pytorch nested checkpoint', why: 'model + optimizer dicts; optimizer state skipped', files: () => [fixture('pytorch/nested-checkpoint.pt')], format: 'pytorch', tensors: 5, analysable: 2 },
  { name: 'pytorch 1.13 protocol 5', why: 'written by PyTorch 1.13.1 with pickle protocol 5', files: () => [fixture('pytorch/torch-1.13/state-dict-protocol5.pt')], format: 'pytorch', tensors: 9, analysable: 2 },
  { name: 'e2e pytorch os.system', why: 'a pickle that calls os.system is refused, never run', files: () => [fixture('pytorch/hostile-os-system.pt')], error: 'PICKLE_FORBIDDEN' },
  { name: 'e2e pytorch legacy', why: 'pre-1.6 torch.save', files: () => [fixture('pytorch/legacy.pt')], error: 'LEGACY_FORMAT' },
  // TF.js (e2e/fixtures/tfjs/README.md)
  {
    name: 'e2e tfjs layers uint8',
    why: 'layers model, uint8-quantized kernels dequantized as tfjs-core does; depthwise kernel not analysed',
    files: () => ['tfjs/layers-cnn-uint8/model.json', 'tfjs/layers-cnn-uint8/group1-shard1of1.bin'].map(fixture),
    format: 'tfjs',
    tensors: 6,
    analysable: 2,
    assert: (m) => expect(m.tensors.find((t) => t.kind === 'conv2d')).toMatchObject({ layout: 'HWIO', op: 'Conv2D', encoding: expect.stringContaining('uint8') }),
  },
  {
    name: 'e2e tfjs graph model',
    why: 'graph model, weights straddling 3 shards, float16 and uint16 quantization',
    files: () => ['model.json', 'group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin'].map((f) => fixture(`tfjs/graph-model/${f}`)),
    format: 'tfjs',
    tensors: 5,
    analysable: 2,
  },
  {
    name: 'e2e tfjs weights manifest',
    why: 'face-api style bare manifest, shard without extension (an unclaimed file matched by the manifest paths)',
    files: () => ['tiny_model-weights_manifest.json', 'tiny_model-shard1'].map((f) => fixture(`tfjs/weights-manifest/${f}`)),
    format: 'tfjs',
    tensors: 4,
    analysable: 2,
  },
  { name: 'e2e tfjs truncated shard', why: 'manifest declares more bytes than the shard', files: () => ['model.json', 'group1-shard1of1.bin'].map((f) => fixture(`tfjs/truncated-shard/${f}`)), error: 'TRUNCATED', errorFile: 'group1-shard1of1.bin' },
  {
    name: 'e2e tfjs missing shard',
    why: 'the missing shard is named',
    files: () => ['model.json', 'group1-shard1of2.bin'].map((f) => fixture(`tfjs/missing-shard/${f}`)),
    error: 'MISSING_COMPANION',
  },
  { name: 'e2e tfjs bad json', why: 'syntax error with line and column', files: () => [fixture('tfjs/bad-json/model.json')], error: 'BAD_HEADER_JSON' },
  // GGUF (e2e/fixtures/gguf/README.md)
  {
    name: 'e2e gguf tiny-llm',
    why: 'F16/F32/BF16/Q8_0 weights read; Q4_K listed as not yet supported; shapes reversed from ne',
    files: () => [fixture('gguf/tiny-llm.gguf')],
    format: 'gguf',
    tensors: 8,
    analysable: 4,
    assert: (m) => expect(m.tensors.filter((t) => t.unsupported).map((t) => t.unsupported)).toEqual([expect.stringContaining('Q4_K')]),
  },
  { name: 'e2e gguf offset beyond end', why: 'a tensor placed past the end of the file', files: () => [fixture('gguf/offset-beyond-eof.gguf')], error: 'OFFSETS_OUT_OF_BOUNDS' },
  { name: 'e2e gguf truncated', why: 'cut inside the header', files: () => [fixture('gguf/truncated.gguf')], error: 'TRUNCATED' },
  { name: 'e2e not-a-model', why: 'plain text', files: () => [fixture('not-a-model.txt')], error: 'UNKNOWN_FORMAT' },
  // Built in memory
  {
    name: 'as the Rust library writes it',
    why: 'safetensors spec: __metadata__ first, header padded with spaces to 8 bytes',
    files: () => [
      namedFile(
        'rust.safetensors',
        buildSafetensors({
          header: '{"__metadata__":{"format":"pt"},"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}   ',
          data: new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer),
        }),
      ),
    ],
    format: 'safetensors',
    tensors: 1,
    analysable: 1,
    assert: async (m) => expect(Array.from(await m.tensors[0]!.read())).toEqual([1, 2, 3, 4]),
  },
  {
    name: 'BF16 stack and F64 dense',
    why: '3-D stacks and F64 → Float64Array',
    files: () => [
      namedFile(
        'mixed.safetensors',
        writeSafetensors([
          { name: 'experts', dtype: 'BF16', shape: [2, 3, 4], data: f32(24) },
          { name: 'proj', dtype: 'F64', shape: [4, 4], data: Float64Array.from(f32(16)) },
        ]),
      ),
    ],
    format: 'safetensors',
    tensors: 2,
    analysable: 2,
    assert: async (m) => expect(await m.tensors[1]!.read()).toBeInstanceOf(Float64Array),
  },
  {
    name: 'trailing bytes after the last tensor',
    why: 'tolerated (the Rust reference refuses them; they do no harm here)',
    files: () => [namedFile('tail.safetensors', concatBytes(writeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: f32(2) }]), new Uint8Array(5)))],
    format: 'safetensors',
    tensors: 1,
  },
  { name: 'empty header {}', why: 'a valid file with no tensors', files: () => [namedFile('none.safetensors', buildSafetensors({ header: '{}' }))], format: 'safetensors', tensors: 0 },
  { name: 'zero-byte .safetensors', why: 'extension fallback gives a precise error', files: () => [namedFile('zero.safetensors', new Uint8Array(0))], error: 'TRUNCATED' },
  { name: 'zero-byte .bin', why: 'nothing to sniff', files: () => [namedFile('zero.bin', new Uint8Array(0))], error: 'UNKNOWN_FORMAT' },
  { name: 'PNG image', why: 'foreign magic bytes', files: () => [namedFile('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))], error: 'UNKNOWN_FORMAT' },
  {
    name: 'JSON weights map only',
    why: 'a lone index names its shards; pattern siblings are expected too',
    files: () => [namedFile('model.safetensors.index.json', '{"weight_map":{"w":"model-00001-of-00003.safetensors"}}')],
    error: 'MISSING_SHARD',
    errorFile: 'model-00001-of-00003.safetensors',
  },
  {
    name: 'overlapping tensors',
    why: 'two tensors share bytes',
    files: () => [namedFile('ov.safetensors', buildSafetensors({ header: { a: entry('F32', [2], 0, 8), b: entry('F32', [2], 4, 12) }, data: new Uint8Array(12) }))],
    error: 'OFFSETS_OVERLAP',
  },
  {
    name: 'duplicate across shards',
    why: 'the same tensor in two shards',
    files: () => {
      const bytes = writeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: f32(2) }]);
      return [namedFile('m-1-of-2.safetensors', bytes), namedFile('m-2-of-2.safetensors', bytes)];
    },
    error: 'DUPLICATE_TENSOR',
    errorFile: 'm-2-of-2.safetensors',
  },
];

describe('reader corpus', () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const files = c.files();
    const outcome = await openModel(files).then(
      (model) => ({ model }),
      (error: unknown) => ({ error }),
    );
    if (c.error) {
      expect('error' in outcome, `${c.name} (${c.why}) should fail with ${c.error}`).toBe(true);
      const e = (outcome as { error: unknown }).error;
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).code).toBe(c.error);
      const file = c.errorFile ?? files[0]!.name;
      expect((e as FormatError).file).toBe(file);
      expect((e as FormatError).message).toContain(file);
      return;
    }
    if ('error' in outcome) throw outcome.error;
    const { model } = outcome;
    expect(model.format).toBe(c.format);
    if (c.tensors !== undefined) expect(model.tensors).toHaveLength(c.tensors);
    if (c.analysable !== undefined) expect(analysableTensorNames(model.tensors)).toHaveLength(c.analysable);
    await c.assert?.(model);
    // Every tensor either reads to the right number of values or is marked unsupported.
    for (const t of model.tensors) {
      if (t.unsupported) await expect(t.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
      else expect((await t.read()).length).toBe(t.size);
    }
    model.dispose?.();
  });

  it('the committed e2e fixtures equal their builders (regenerate: npx tsx scripts/fixtures/makeE2eFixtures.ts)', () => {
    let total = 0;
    for (const f of E2E_FIXTURES) {
      const committed = new Uint8Array(readFileSync(join(FIXTURES, ...f.path.split('/'))));
      expect(committed, f.path).toEqual(f.bytes());
      total += committed.length;
    }
    expect(total).toBeLessThan(100 * 1024);
  });
});
