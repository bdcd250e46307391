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
import { main } from './main';

const SAMPLE = join(import.meta.dirname, '..', 'public', 'samples', 'stroke-cnn.safetensors');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

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
});

