/**
 * Circuit editing (issue 8, part 5) on the real runtimes: the line detector on onnxruntime-web (wasm, Node) and the
 * stroke-cnn sample on tfjs (cpu). Edits change what `respond` and `weights` see, `edit([])` restores the file's
 * responses exactly, and the exports reopen through our readers with the edited values and every other tensor
 * bit-identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curveDetectorKernel } from '../../src/analysis/curves/weightEdits';
import type { WeightEdit } from '../../src/analysis/curves/weightEdits';
import { seededRandom } from '../../src/analysis/random/seededRandom';
import { readOnnxGraphIo } from './onnxGraphIo';
import { openModel } from '../../src/formats/registry';
import type { Model } from '../../src/model/types';
import { openProbeModel } from './openProbeModel';
import type { ProbeSession } from './probeSession';
import { bits, fileOf, folderFiles, lineImages, runtimes, tensorValues } from './testing/nodeProbe';

const LINE_DETECTOR = 'e2e/fixtures/onnx/line-detector.onnx';
const reopen = async (name: string, blob: Blob) => openModel([{ name, blob }]);

describe('circuit editing on the line detector (onnxruntime-web, wasm, Node)', () => {
  const size = 32;
  const thetas = [0, 45, 90, 135];
  /** Images 0–3: one-pixel lines through the centre at 0°, 45°, 90°, 135° (y down: 45° runs up-right); 4–7: noise. */
  const n = 8;
  const x = lineImages(size, n, 11);
  const batch = { data: x, shape: [n, 1, size, size] };
  let session: ProbeSession;
  let original: Model;
  const respond = (stage: 'pre' | 'post' = 'pre', directions = false) => session.respond(batch, 'conv1.weight', { stage, directions });
  /** The orientation of the line image that drives channel `o` most (images 0–3). */
  const preferred = (channels: Float32Array, o: number) => {
    const column = thetas.map((_, i) => channels[i * 4 + o] as number);
    return thetas[column.indexOf(Math.max(...column))];
  };
  const zeroChannel1: WeightEdit = { tensor: 'conv1.weight', op: 'scale', outUnits: [1], inUnits: 'all', sign: 'all', factor: 0 };
  const detector90 = curveDetectorKernel({ inChannels: 1, kh: 7, kw: 7, thetaDeg: 90, radiusPx: 12, widthPx: 1 });
  const replaceChannel0: WeightEdit = { tensor: 'conv1.weight', op: 'replace', outUnit: 0, kernel: detector90 };
  beforeAll(async () => {
    session = await openProbeModel([fileOf(LINE_DETECTOR)], runtimes);
    original = await openModel([fileOf(LINE_DETECTOR)]);
  });
  afterAll(() => session.dispose());

  it('zeroing channel 1’s kernel makes its response 0 for every input; edit([]) restores every response exactly', async () => {
    const before = await respond('pre', true);
    const beforePost = await respond('post');
    expect(before.channels.subarray(4, 8).some((v) => v !== 0)).toBe(true);
    expect(await session.edit([zeroChannel1])).toEqual(['conv1.weight']);
    const pre = await respond('pre', true);
    const post = await respond('post');
    for (let i = 0; i < n; i++) {
      expect(pre.channels[i * 4 + 1], `input ${i}`).toBe(0);
      expect(post.channels[i * 4 + 1], `input ${i}`).toBe(0);
      // The other channels are untouched.
      for (const o of [0, 2, 3]) expect(pre.channels[i * 4 + o]).toBe(before.channels[i * 4 + o]);
    }
    // U comes from the edited W: one singular value is gone.
    expect(Math.min(...(pre.sigma as Float64Array))).toBeLessThan(1e-6);
    expect(Math.min(...(before.sigma as Float64Array))).toBeGreaterThan(1e-3);
    expect(await session.edit([])).toEqual([]);
    const restored = await respond('pre', true);
    expect(restored.channels).toEqual(before.channels);
    expect(restored.sigma).toEqual(before.sigma);
    expect(restored.directions).toEqual(before.directions);
    expect((await respond('post')).channels).toEqual(beforePost.channels);
  });

  it('a hand-built 90° curve detector in channel 0 moves its preferred orientation from 0° to 90°; weights shows it', async () => {
    expect(preferred((await respond()).channels, 0)).toBe(0);
    expect(await session.edit([replaceChannel0])).toEqual(['conv1.weight']);
    expect(preferred((await respond()).channels, 0)).toBe(90);
    const w = await session.weights('conv1.weight');
    const file = await tensorValues(original, 'conv1.weight');
    expect(w).toMatchObject({ tensor: 'conv1.weight', shape: [4, 1, 7, 7], layout: 'OIHW' });
    expect(w.values.subarray(0, 49)).toEqual(detector90);
    expect(bits(w.values.subarray(49))).toEqual(bits(file.subarray(49)));
    // The complete list replaces the previous one: zeroing alone leaves channel 0 as the file has it.
    await session.edit([zeroChannel1]);
    expect(bits((await session.weights('conv1.weight')).values.subarray(0, 49))).toEqual(bits(file.subarray(0, 49)));
    await session.edit([]);
    expect(bits((await session.weights('conv1.weight')).values)).toEqual(bits(file));
  });

  it('bad edits are refused with a code and leave the previous edits in force', async () => {
    await session.edit([zeroChannel1]);
    await expect(session.edit([{ ...zeroChannel1, outUnits: [4] }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
    await expect(session.edit([{ ...replaceChannel0, kernel: new Float32Array(48) }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
    await expect(session.edit([{ ...zeroChannel1, tensor: 'conv1.bias' }])).rejects.toMatchObject({ code: 'PROBE_NO_SUCH_LAYER' });
    await expect(session.weights('nope')).rejects.toMatchObject({ code: 'PROBE_NO_SUCH_LAYER' });
    expect((await respond()).channels[1]).toBe(0);
    await session.edit([]);
  });

  it('ONNX export: the file with the edited values and no probe outputs; reopened, other tensors are bit-identical and it runs the edit', async () => {
    await session.edit([replaceChannel0, zeroChannel1]);
    const edited = await session.weights('conv1.weight');
    const edits = (await respond()).channels;
    const { name, blob } = await session.exportModel('onnx');
    expect(name).toBe('line-detector.edited.onnx');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(readOnnxGraphIo(bytes).outputs.map((o) => o.name)).toEqual(['y']);
    const model = await reopen(name, blob);
    expect(model.tensors.map((t) => t.name)).toEqual(original.tensors.map((t) => t.name));
    expect(bits(await tensorValues(model, 'conv1.weight'))).toEqual(bits(edited.values));
    for (const other of ['conv1.bias', 'conv2.weight', 'conv2.bias']) expect(bits(await tensorValues(model, other)), other).toEqual(bits(await tensorValues(original, other)));
    const exported = await openProbeModel([{ name, blob }], runtimes);
    expect((await exported.respond(batch, 'conv1.weight', { stage: 'pre', directions: false })).channels).toEqual(edits);
    exported.dispose();
    await session.edit([]);
  });

  it('safetensors export: every float tensor by the scan’s names, F32, edits applied, edits in the metadata', async () => {
    await session.edit([replaceChannel0, zeroChannel1]);
    const edited = await session.weights('conv1.weight');
    const { name, blob } = await session.exportModel('safetensors');
    expect(name).toBe('line-detector.edited.safetensors');
    const model = await reopen(name, blob);
    expect(model.format).toBe('safetensors');
    const floats = original.tensors.filter((t) => t.unsupported === undefined);
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.layout])).toEqual(floats.map((t) => [t.name, 'F32', t.shape, t.layout]));
    expect(bits(await tensorValues(model, 'conv1.weight'))).toEqual(bits(edited.values));
    for (const other of ['conv1.bias', 'conv2.weight', 'conv2.bias']) expect(bits(await tensorValues(model, other)), other).toEqual(bits(await tensorValues(original, other)));
    expect(model.metadata).toMatchObject({ edited_by: 'Artificial MRI', source: 'line-detector.onnx', conv_layout: 'OIHW' });
    expect(JSON.parse(model.metadata.edits as string)).toEqual([
      { tensor: 'conv1.weight', op: 'replace', outUnit: 0, kernelLength: 49 },
      { tensor: 'conv1.weight', op: 'scale', outUnits: [1], inUnits: 'all', sign: 'all', factor: 0 },
    ]);
    await session.edit([]);
  });

  it('an edit waits for a running request: the run sees one set of weights from start to end', async () => {
    const running = respond();
    const editing = session.edit([zeroChannel1]);
    const [during] = await Promise.all([running, editing]);
    expect(during.channels[1 * 4 + 1]).not.toBe(0);
    expect((await respond()).channels[1 * 4 + 1]).toBe(0);
    await session.edit([]);
  });
});

describe('circuit editing on the stroke-cnn sample (tfjs, cpu, Node)', () => {
  const n = 3;
  const rng = seededRandom(12);
  const batch = { data: Float32Array.from({ length: n * 32 * 32 }, () => rng()), shape: [n, 32, 32, 1] };
  const files = folderFiles('public/samples/stroke-cnn');
  let session: ProbeSession;
  let original: Model;
  beforeAll(async () => {
    session = await openProbeModel(files, runtimes);
    original = await openModel(files);
  });
  afterAll(() => session.dispose());

  it('zeroing conv1’s negative weights: weights are all ≥ 0, respond changes, edit([]) restores it exactly', async () => {
    const before = await session.respond(batch, 'conv1/kernel', { stage: 'pre', directions: true });
    const file = await tensorValues(original, 'conv1/kernel');
    expect(file.some((v) => v < 0)).toBe(true);
    const edits: WeightEdit[] = [{ tensor: 'conv1/kernel', op: 'scale', outUnits: 'all', inUnits: 'all', sign: 'negative', factor: 0 }];
    expect(await session.edit(edits)).toEqual(['conv1/kernel']);
    const w = await session.weights('conv1/kernel');
    expect(w).toMatchObject({ shape: [5, 5, 1, 16], layout: 'HWIO' });
    expect(w.values.every((v) => v >= 0)).toBe(true);
    const after = await session.respond(batch, 'conv1/kernel', { stage: 'pre', directions: true });
    expect(after.channels).not.toEqual(before.channels);
    expect(after.sigma).not.toEqual(before.sigma);
    // Later layers run on the edited conv1 too.
    const fc2 = await session.respond(batch, 'fc2/kernel', { stage: 'post', directions: false });
    await session.edit([]);
    expect((await session.respond(batch, 'fc2/kernel', { stage: 'post', directions: false })).channels).not.toEqual(fc2.channels);
    const restored = await session.respond(batch, 'conv1/kernel', { stage: 'pre', directions: true });
    expect(restored.channels).toEqual(before.channels);
    expect(restored.sigma).toEqual(before.sigma);
  });

  it('exports safetensors (HWIO stated) and refuses ONNX with PROBE_EXPORT_UNSUPPORTED', async () => {
    await session.edit([{ tensor: 'conv1/kernel', op: 'scale', outUnits: [0, 1], inUnits: 'all', sign: 'positive', factor: 0.5 }]);
    const edited = await session.weights('conv1/kernel');
    await expect(session.exportModel('onnx')).rejects.toMatchObject({ code: 'PROBE_EXPORT_UNSUPPORTED' });
    const { name, blob } = await session.exportModel('safetensors');
    expect(name).toBe('model.edited.safetensors');
    const model = await reopen(name, blob);
    expect(model.metadata).toMatchObject({ conv_layout: 'HWIO', source: 'model.json' });
    const floats = original.tensors.filter((t) => t.unsupported === undefined);
    expect(model.tensors.map((t) => [t.name, t.shape, t.layout ?? null])).toEqual(floats.map((t) => [t.name, t.shape, t.layout ?? null]));
    expect(bits(await tensorValues(model, 'conv1/kernel'))).toEqual(bits(edited.values));
    for (const t of floats) if (t.name !== 'conv1/kernel') expect(bits(await tensorValues(model, t.name)), t.name).toEqual(bits(Float32Array.from(await t.read())));
    await session.edit([]);
  });
});
