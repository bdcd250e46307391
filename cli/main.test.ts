import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveReferenceFixtures, readReference } from '../src/formats/testing/referenceFixtures';
import { openModel } from '../src/formats/registry';
import { namedFile } from '../src/formats/testing/memoryBlob';
import { toModelInfo } from '../src/model/types';
import type { LayerRecord } from '../workers/layerRecords';
import { netronAttachmentText } from '../workers/netronAttachment';
import { writeSafetensors } from '../src/formats/safetensors/writeSafetensors';
import { SAMPLE, run } from './testing/runCli';
import { jacobiSingularValues } from '../src/analysis/linalg/jacobiSingularValues';
import { loraProduct } from '../src/model/loraModel';
import { diffModelLayers, planModelDiff } from '../workers/diffTensors';
import { cliLinalg } from './linalg';
import { openFiles } from './nodeFiles';
import { scanModel } from './scanModel';


describe('artificial-mri analyze', () => {
  it('prints one JSON record per layer WW analyses, in model order; the filters are adjustable', async () => {
    const { code, out } = await run('analyze', SAMPLE, '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { model: { format: string }; skipped: { name: string; reason: string }[]; layers: { name: string; status: string; num_evals: number }[] };
    expect(doc.model.format).toBe('safetensors');
    expect(doc.layers.map((l) => l.name)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight']);
    expect(doc.skipped).toContainEqual({ name: 'fc2.weight', reason: 'M·rf = 5 < min_evals = 10' });
    expect(doc.layers.every((l) => l.status === 'success')).toBe(true);
    expect(doc.layers.find((l) => l.name === 'fc1.weight')?.num_evals).toBe(64);
    const all = JSON.parse((await run(SAMPLE, '--json', '--min-evals', '0')).out) as { layers: { name: string }[] };
    expect(all.layers.map((l) => l.name)).toContain('fc2.weight');
  });

  it('prints identical numbers with the WASM kernels and with plain TypeScript', async () => {
    const wasm = JSON.parse((await run(SAMPLE, '--json', '--mp-fit')).out) as { linalg: string; layers: unknown[] };
    const ts = JSON.parse((await run(SAMPLE, '--json', '--mp-fit', '--linalg', 'typescript')).out) as { linalg: string; layers: unknown[] };
    expect(wasm.linalg).toBe('wasm-simd128 f64');
    expect(ts.linalg).toBe('typescript f64');
    expect(ts.layers).toEqual(wasm.layers);
    expect((await run(SAMPLE, '--linalg', 'gpu')).code).toBe(2);
  });

  it('--exact-tail always recomputes every tail by Jacobi: the top of the spectrum is unchanged', async () => {
    type Doc = { layers: { name: string; sv_max: number; sv_min: number; alpha: number }[] };
    const auto = JSON.parse((await run(SAMPLE, '--json')).out) as Doc;
    const exact = JSON.parse((await run(SAMPLE, '--json', '--exact-tail', 'always')).out) as Doc;
    for (const [i, layer] of exact.layers.entries()) {
      const other = auto.layers[i]!;
      expect(Math.abs(layer.sv_max - other.sv_max) / other.sv_max).toBeLessThan(1e-12);
      expect(Math.abs(layer.sv_min - other.sv_min) / other.sv_max).toBeLessThan(1e-8);
    }
    expect((await run(SAMPLE, '--exact-tail', 'sometimes')).code).toBe(2);
  });

  it('--randomize adds the seeded randomised-ESD columns', async () => {
    const doc = JSON.parse((await run(SAMPLE, '--json', '--randomize', '--seed', '5')).out) as { layers: Record<string, number>[] };
    for (const layer of doc.layers) {
      expect(layer.randomize_seed).toBe(5);
      expect(Number.isFinite(layer.rand_distance)).toBe(true);
      expect(layer.ww_softrank).toBeGreaterThan(0);
    }
  });

  it('matches WeightWatcher on a real model (openWakeWord hello_deepa, with --mp-fit)', async () => {
    if (!haveReferenceFixtures()) return;
    const reference = readReference<{ layers: Record<string, number | string>[] }>('ww_oww_hello_deepa_mpfit.json');
    const model = join(import.meta.dirname, '..', 'node_modules', 'openwakeword-js', 'models', 'hello_deepa.onnx');
    const doc = JSON.parse((await run(model, '--json', '--mp-fit')).out) as { layers: Record<string, number | string>[] };
    expect(doc.layers.map((l) => l.name)).toEqual(reference.layers.map((l) => l.name));
    for (const expected of reference.layers) {
      const got = doc.layers.find((l) => l.name === expected.name) as Record<string, number | string>;
      for (const column of ['alpha', 'xmin', 'D', 'norm', 'spectral_norm', 'stable_rank', 'alpha_weighted', 'entropy', 'sigma_mp', 'bulk_max']) {
        expect(got[column] as number, `${String(expected.name)} ${column}`).toBeCloseTo(expected[column] as number, 8);
      }
      expect(got.num_spikes).toBe(expected.num_spikes);
      expect(got.warning).toBe(expected.warning);
    }
  });

  it('CSV has a header and full-precision numbers; the table is the default', async () => {
    const csv = await run(SAMPLE, '--csv');
    const [header, first] = csv.out.split('\n');
    expect(header?.split(',')).toEqual(expect.arrayContaining(['sv_max', 'alpha', 'alpha_weighted', 'definition', 'effective_rank']));
    expect(first).toMatch(/^conv1\.weight,16x1x5x5,F32,conv2d,/);
    expect(first).toMatch(/\d\.\d{12,}/);
    const table = await run(SAMPLE);
    expect(table.out.split('\n')[0]).toMatch(/^name\s+shape\s+layer_type\s+N\s+M/);
  });

  it('--netron prints a Netron attachment of the same layers, byte-identical to what the app exports', async () => {
    const { code, out } = await run('analyze', SAMPLE, '--netron', '--mp-fit');
    expect(code).toBe(0);
    type Item = { kind: string; target: string; name: string; value: unknown };
    const doc = JSON.parse(out) as { signature: string; definitions: { mp_fit: boolean }; layers: { tensor: string }[]; metrics: Item[] };
    expect(doc.signature).toBe('netron:attachment');
    expect(doc.definitions.mp_fit).toBe(true);
    const json = JSON.parse((await run(SAMPLE, '--json', '--mp-fit')).out) as { layers: LayerRecord[] };
    expect(doc.layers.map((l) => l.tensor)).toEqual(json.layers.map((l) => l.name));
    // safetensors: Netron shows one node per module (`conv1` for `conv1.weight`); its metrics are the record's.
    for (const layer of json.layers) {
      const node = String(layer.name).replace(/\.weight$/, '');
      const metrics = new Map(doc.metrics.filter((m) => m.kind === 'node' && m.target === node).map((m) => [m.name, m.value]));
      for (const column of ['alpha', 'alpha_weighted', 'D', 'stable_rank', 'log_spectral_norm', 'num_spikes', 'warning']) expect(metrics.get(column), column).toBe(layer[column]);
    }
    // The app calls the same function with its own spelling of the settings: the same bytes.
    const model = await openModel([namedFile('stroke-cnn.safetensors', new Uint8Array(readFileSync(SAMPLE)))]);
    const appSettings = { conv: 'ww-pooled', mpFit: true, operatorInputSize: 16, filters: {} } as const;
    expect(netronAttachmentText(toModelInfo(model), json.layers, appSettings)).toBe(out);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('a bad command line exits 2 with the usage; a bad file exits 1 with its code and remedy', async () => {
    expect((await run('analyze')).code).toBe(2);
    expect((await run(SAMPLE, '--conv', 'nonsense')).err).toContain('--conv must be one of');
    expect((await run(SAMPLE, '--json', '--csv')).code).toBe(2);
    const both = await run(SAMPLE, '--csv', '--netron');
    expect(both.code).toBe(2);
    expect(both.err).toContain('Choose one of --json, --csv and --netron; got --csv and --netron.');
    expect((await run('--help')).out).toContain('--netron');
    expect((await run('--help')).out).toContain('Usage:');
    const dir = mkdtempSync(join(tmpdir(), 'amri-cli-'));
    const bad = join(dir, 'notes.txt');
    writeFileSync(bad, 'not a model');
    const failed = await run(bad);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^UNKNOWN_FORMAT: .*notes\.txt/);
    expect(failed.err).toContain('What to do:');
    expect((await run(join(dir, 'missing.onnx'))).code).toBe(1);
  });

  it('--checkpoints: orders checkpoints by the step in their names, matches layers, lists the ones not in every checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-study-'));
    const INIT = join(import.meta.dirname, '..', 'public', 'samples', 'stroke-cnn-init.safetensors');
    writeFileSync(join(dir, 'ckpt-step-1000.safetensors'), readFileSync(SAMPLE));
    writeFileSync(join(dir, 'ckpt-step-0.safetensors'), readFileSync(INIT));
    // A third checkpoint with conv1 only: the other layers are not in every checkpoint, so they are listed, not compared.
    const conv1 = (await (await openModel([namedFile('s.safetensors', new Uint8Array(readFileSync(SAMPLE)))])).tensors.find((t) => t.name === 'conv1.weight')?.read()) as Float32Array;
    writeFileSync(join(dir, 'ckpt-step-500.safetensors'), writeSafetensors([{ name: 'conv1.weight', dtype: 'F32', shape: [16, 1, 5, 5], data: conv1 }]));
    const csv = await run('analyze', '--checkpoints', join(dir, 'ckpt-step-1000.safetensors'), join(dir, 'ckpt-step-0.safetensors'), join(dir, 'ckpt-step-500.safetensors'), '--csv');
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines[0]?.startsWith('checkpoint,step,name,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'ckpt-step-0.safetensors,0,conv1.weight',
      'ckpt-step-500.safetensors,500,conv1.weight',
      'ckpt-step-1000.safetensors,1000,conv1.weight',
    ]);
    const table = await run('analyze', '--checkpoints', join(dir, 'ckpt-step-1000.safetensors'), join(dir, 'ckpt-step-0.safetensors'), join(dir, 'ckpt-step-500.safetensors'));
    expect(table.out).toContain('## conv1.weight (16x1x5x5)');
    expect(table.out).toMatch(/# not compared: fc1\.weight: .*ckpt-step-500/);
    // The same numbers as analysing each checkpoint alone.
    const alone = JSON.parse((await run(SAMPLE, '--json')).out) as { layers: { name: string; alpha: number }[] };
    const study = JSON.parse((await run('analyze', '--checkpoints', join(dir, 'ckpt-step-1000.safetensors'), join(dir, 'ckpt-step-0.safetensors'), '--json')).out) as { records: { name: string; step: number; alpha: number }[] };
    for (const layer of alone.layers) expect(study.records.find((r) => r.step === 1000 && r.name === layer.name)?.alpha).toBe(layer.alpha);
    expect((await run('analyze', '--checkpoints', SAMPLE, '--netron')).code).toBe(2);
  });

  it('--diff: a rank-1 update is seen as rank 1 with the right size; a model against itself has no change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-diff-'));
    const rows = 12;
    const cols = 20;
    const base = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.7) + 0.1 * Math.cos(i * 1.3));
    const u = Float32Array.from({ length: rows }, (_, i) => (i % 3) - 1);
    const v = Float32Array.from({ length: cols }, (_, j) => ((j * 7) % 5) - 2);
    const tuned = base.map((x, i) => x + 0.5 * (u[Math.floor(i / cols)] as number) * (v[i % cols] as number));
    writeFileSync(join(dir, 'base.safetensors'), writeSafetensors([{ name: 'fc.weight', dtype: 'F32', shape: [rows, cols], data: base }]));
    writeFileSync(join(dir, 'tuned.safetensors'), writeSafetensors([{ name: 'fc.weight', dtype: 'F32', shape: [rows, cols], data: tuned }]));
    const { code, out } = await run('analyze', '--diff', join(dir, 'base.safetensors'), join(dir, 'tuned.safetensors'), '--json', '--k', '3');
    expect(code).toBe(0);
    const [rec] = (JSON.parse(out) as { records: Record<string, number>[] }).records;
    const norm = (x: ArrayLike<number>) => Math.hypot(...Array.from(x));
    // ‖ΔW‖ = 0.5·‖u‖·‖v‖ (float32 rounding of the stored values aside).
    expect(rec?.delta_sv_max).toBeCloseTo(0.5 * norm(u) * norm(v), 4);
    expect(rec?.delta_matrix_rank).toBe(1);
    expect(rec?.delta_stable_rank).toBeCloseTo(1, 6);
    expect(rec?.rel_change).toBeCloseTo((0.5 * norm(u) * norm(v)) / norm(base), 4);
    expect(rec?.subspace_k).toBe(3);
    const same = JSON.parse((await run('analyze', '--diff', join(dir, 'base.safetensors'), join(dir, 'base.safetensors'), '--json')).out) as { records: Record<string, number>[] };
    expect(same.records[0]).toMatchObject({ rel_change: 0, delta_sv_max: 0, delta_matrix_rank: 0 });
    expect(same.records[0]?.subspace_cos2).toBeCloseTo(1, 10);
    expect((await run('analyze', '--diff', join(dir, 'base.safetensors'))).code).toBe(2);
  });
  it('--diff prints the numbers of the shared diff core (workers/diffTensors.ts) and lists layers not compared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-diff-core-'));
    const w = (seed: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1.7 + i * 0.37));
    writeFileSync(join(dir, 'a.safetensors'), writeSafetensors([
      { name: 'conv.weight', dtype: 'F32', shape: [4, 2, 3, 3], data: w(1, 72) },
      { name: 'fc.weight', dtype: 'F32', shape: [5, 6], data: w(2, 30) },
      { name: 'head.weight', dtype: 'F32', shape: [3, 5], data: w(3, 15) },
    ]));
    writeFileSync(join(dir, 'b.safetensors'), writeSafetensors([
      { name: 'conv.weight', dtype: 'F32', shape: [4, 2, 3, 3], data: w(4, 72) },
      { name: 'fc.weight', dtype: 'F32', shape: [5, 6], data: w(5, 30) },
      { name: 'head.weight', dtype: 'F32', shape: [5, 3], data: w(6, 15) },
    ]));
    const { code, out } = await run('analyze', '--diff', join(dir, 'a.safetensors'), join(dir, 'b.safetensors'), '--json', '--k', '2');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { records: LayerRecord[]; notCompared: { name: string; detail: string }[] };
    expect(doc.records.map((r) => r.name)).toEqual(['conv.weight', 'fc.weight']);
    expect(doc.notCompared).toEqual([{ name: 'head.weight', detail: 'shapes differ: [3, 5] in #1 (a.safetensors); [5, 3] in #2 (b.safetensors)' }]);
    const [ma, mb] = await Promise.all(['a', 'b'].map((n) => openModel([namedFile(`${n}.safetensors`, new Uint8Array(readFileSync(join(dir, `${n}.safetensors`))))])));
    const plan = planModelDiff(ma!, mb!, { labels: ['a.safetensors', 'b.safetensors'] });
    const core = [];
    for await (const layer of diffModelLayers(plan, { k: 2, linalg: await cliLinalg(true, () => {}) })) core.push(layer.record);
    expect(doc.records).toEqual(core);
    expect(doc.records[0]).toMatchObject({ shape: '4x2x3x3', N: 18, M: 4, subspace_k: 2 });
  });

  it('scans a PEFT LoRA adapter as one B·A layer per pair: σ of scale·B·A, factors not analysed alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-lora-'));
    const [out, inputs, r, alpha] = [48, 32, 12, 24];
    const a = Float32Array.from({ length: r * inputs }, (_, i) => Math.sin(i * 0.61) * 0.1);
    const b = Float32Array.from({ length: out * r }, (_, i) => Math.cos(i * 0.23) * 0.05);
    const module = 'base_model.model.model.layers.0.self_attn.q_proj';
    const file = join(dir, 'adapter_model.safetensors');
    writeFileSync(file, writeSafetensors(
      [
        { name: `${module}.lora_A.weight`, dtype: 'F32', shape: [r, inputs], data: a },
        { name: `${module}.lora_B.weight`, dtype: 'F32', shape: [out, r], data: b },
      ],
      { format: 'pt', lora_adapter_metadata: JSON.stringify({ r, lora_alpha: alpha, use_rslora: false }) },
    ));
    const { code, out: text } = await run('analyze', file, '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(text) as { layers: Record<string, number | string>[]; skipped: { name: string; reason: string }[]; notes: string[] };
    expect(doc.layers.map((l) => l.name)).toEqual([`${module}.lora_BA.weight`]);
    const [layer] = doc.layers;
    expect(layer).toMatchObject({ shape: `${out}x${inputs}`, num_evals: r, N: out, M: inputs, lora_rank: r, lora_scale: alpha / r, status: 'success' });
    expect(String(layer?.definition)).toContain('LoRA update');
    const dense = jacobiSingularValues(loraProduct(Float64Array.from(a), Float64Array.from(b), r, out, inputs, alpha / r, 'F64'), out, inputs);
    expect(Math.abs((layer?.sv_max as number) - (dense[0] as number)) / (dense[0] as number)).toBeLessThan(1e-9);
    expect(Math.abs((layer?.spectral_norm as number) - (dense[0] as number) ** 2) / (dense[0] as number) ** 2).toBeLessThan(1e-9);
    expect(doc.skipped.map((s) => s.name)).toEqual([`${module}.lora_A.weight`, `${module}.lora_B.weight`]);
    expect(doc.skipped[0]?.reason).toContain('LoRA factor');
    expect(doc.notes.join('\n')).toContain('1 LoRA adapter treated as their updates');
    // adapter_config.json in a folder with the weights sets the scale when the metadata has none.
    writeFileSync(file, writeSafetensors([
      { name: `${module}.lora_A.weight`, dtype: 'F32', shape: [r, inputs], data: a },
      { name: `${module}.lora_B.weight`, dtype: 'F32', shape: [out, r], data: b },
    ]));
    const noScale = JSON.parse((await run('analyze', file, '--json')).out) as { layers: Record<string, number | string>[]; notes: string[] };
    expect(noScale.layers[0]?.lora_scale).toBe(1);
    expect(String(noScale.layers[0]?.approximations)).toContain('LoRA scale unknown');
    expect(noScale.notes.join('\n')).toContain('scale 1 assumed');
    writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ r, lora_alpha: 6 }));
    const opened = await openFiles([dir]);
    try {
      const scan = await scanModel(await openModel(opened.files), {}, await cliLinalg(false, () => {}), () => {}, opened.files);
      expect(scan.layers[0]).toMatchObject({ lora_scale: 0.5, lora_scale_source: 'adapter_config.json: lora_alpha = 6, r = 12 → α/r = 0.5' });
    } finally {
      await opened.close();
    }
  });
});

