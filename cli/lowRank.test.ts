import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rankForEnergy } from '../src/analysis/checkpoints/lowRank';
import { multiplyFactors, truncateMatrix } from '../src/analysis/checkpoints/truncate';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { openModel } from '../src/formats/registry';
import { namedFile } from '../src/formats/testing/memoryBlob';
import type { Model, TensorRef } from '../src/model/types';
import { SAMPLE, run } from './testing/runCli';


const openPath = (path: string) => openModel([namedFile(path.split('/').at(-1) ?? path, new Uint8Array(readFileSync(path)))]);

function tensor(model: Model, name: string): TensorRef {
  const ref = model.tensors.find((t) => t.name === name);
  if (!ref) throw new Error(`no ${name}`);
  return ref;
}

/** rows × cols of a dense weight or an OIHW conv's unfold, as float64. */
async function matrixOf(ref: TensorRef): Promise<{ data: Float64Array; rows: number; cols: number }> {
  const rows = ref.shape[0] as number;
  return { data: Float64Array.from(await ref.read()), rows, cols: ref.size / rows };
}

async function storedBytes(ref: TensorRef): Promise<Uint8Array> {
  return new Uint8Array((await ref.storedBytes?.().bytes.arrayBuffer()) ?? new ArrayBuffer(0));
}

describe('artificial-mri analyze --low-rank', () => {
  it('--low-rank k writes every dense and conv layer as W_k (rank k, same shapes), copies the rest, prints the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-lowrank-'));
    const outPath = join(dir, 'small.safetensors');
    const { code, out, err } = await run('analyze', SAMPLE, '--low-rank', '4', '--out', outPath);
    expect(err.replace(/\r[^\n]*?(?=\r|$)/g, '').trim()).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^name\s+shape\s+matrix\s+k\s+energy_kept\s+rel_error\s+params_before\s+params_after$/);
    expect(lines.slice(1, 6).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['conv1.weight', '16x1x5x5', '16x25', '4'],
      ['conv2.weight', '32x16x3x3', '32x144', '4'],
      ['conv3.weight', '32x32x3x3', '32x288', '4'],
      ['fc1.weight', '64x512', '64x512', '4'],
      ['fc2.weight', '5x64', '5x64', '4'],
    ]);
    expect(out).toContain('# 5 layers truncated: ');
    expect(out).toMatch(/# truncated weights keep their shapes; as factor pairs \(--factors\) these layers would hold \d+ parameters/);
    expect(out).toContain(`# wrote ${outPath} (`);
    expect(readdirSync(dir)).toEqual(['small.safetensors']);

    const source = await openPath(SAMPLE);
    const written = await openPath(outPath);
    expect(written.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(source.tensors.map((t) => [t.name, t.dtype, t.shape]));
    expect(written.metadata).toMatchObject({ format: 'pt', conv_layout: 'OIHW', lowrank_form: 'truncated' });
    for (const name of ['conv1.bias', 'fc1.bias', 'fc2.bias']) expect(await storedBytes(tensor(written, name))).toEqual(await storedBytes(tensor(source, name)));
    for (const name of ['conv2.weight', 'fc1.weight']) {
      const original = await matrixOf(tensor(source, name));
      const truncated = await matrixOf(tensor(written, name));
      const expected = truncateMatrix(original.data, original.rows, original.cols, 4);
      const scale = Math.max(...expected.map(Math.abs));
      expect(Math.max(...truncated.data.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6 * scale);
      const sigma = singularValues(truncated.data, truncated.rows, truncated.cols);
      expect((sigma[4] as number) / (sigma[0] as number)).toBeLessThan(1e-6);
    }
  });

  it('--low-rank q --factors --layers --json: per-layer k = rankForEnergy(σ, q), factor pairs that multiply back to W_k', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-lowrank-'));
    const outPath = join(dir, 'factors.safetensors');
    const { code, out } = await run(SAMPLE, '--low-rank', '0.9', '--factors', '--layers', 'fc1.weight, conv2.weight', '--out', outPath, '--json');
    expect(code).toBe(0);
    type Doc = { form: string; bytes: number; layers: { name: string; k: number; energy_kept: number; params_after: number }[]; modelParams: { before: number; after: number } };
    const doc = JSON.parse(out) as Doc;
    expect(doc.form).toBe('factors');
    expect(doc.bytes).toBe(readFileSync(outPath).length);
    expect(doc.layers.map((l) => l.name)).toEqual(['conv2.weight', 'fc1.weight']);
    const source = await openPath(SAMPLE);
    const written = await openPath(outPath);
    let saved = 0;
    for (const layer of doc.layers) {
      const m = await matrixOf(tensor(source, layer.name));
      expect(layer.k).toBe(rankForEnergy(singularValues(m.data, m.rows, m.cols), 0.9));
      expect(layer.energy_kept).toBeGreaterThanOrEqual(0.9);
      expect(layer.params_after).toBe(layer.k * (m.rows + m.cols));
      saved += m.rows * m.cols - layer.params_after;
      const stem = layer.name.replace(/\.weight$/, '');
      const left = tensor(written, `${stem}.lowrank_left`);
      const right = tensor(written, `${stem}.lowrank_right`);
      expect(left.shape).toEqual(layer.name === 'fc1.weight' ? [64, layer.k] : [32, layer.k, 1, 1]);
      expect(right.shape).toEqual(layer.name === 'fc1.weight' ? [layer.k, 512] : [layer.k, 16, 3, 3]);
      const product = multiplyFactors({ rows: m.rows, cols: m.cols, k: layer.k, sigma: new Float64Array(layer.k), left: Float64Array.from(await left.read()), right: Float64Array.from(await right.read()) });
      const expected = truncateMatrix(m.data, m.rows, m.cols, layer.k);
      expect(Math.max(...product.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6 * Math.max(...expected.map(Math.abs)));
    }
    expect(doc.modelParams.before - doc.modelParams.after).toBe(saved);
    expect(tensor(written, 'conv1.weight').shape).toEqual([16, 1, 5, 5]);
  });

  it('--low-rank k leaves layers with min(rows, cols) ≤ k as they are, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-lowrank-'));
    const { code, out } = await run(SAMPLE, '--low-rank', '16', '--out', join(dir, 'k16.safetensors'), '--linalg', 'typescript');
    expect(code).toBe(0);
    expect(out).toContain('# left as they are (min(rows, cols) ≤ k): conv1.weight, fc2.weight');
    const source = await openPath(SAMPLE);
    const written = await openPath(join(dir, 'k16.safetensors'));
    expect(await storedBytes(tensor(written, 'fc2.weight'))).toEqual(await storedBytes(tensor(source, 'fc2.weight')));
  });

  it('a bad --low-rank command line exits 2 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mri-lowrank-'));
    const outPath = join(dir, 'x.safetensors');
    const usage = async (...argv: string[]) => {
      const result = await run(SAMPLE, ...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      return result.err.split('\n')[0];
    };
    expect(await usage('--low-rank', '8')).toBe('--low-rank writes a file: give it with --out <file.safetensors>.');
    expect(await usage('--low-rank', '8', '--out', join(dir, 'x.bin'))).toContain('--out must name a .safetensors file');
    expect(await usage('--low-rank', '1.5', '--out', outPath)).toContain('--low-rank needs a rank k');
    expect(await usage('--low-rank', '0', '--out', outPath)).toContain('--low-rank needs a rank k');
    expect(await usage('--low-rank', 'x', '--out', outPath)).toContain('--low-rank needs a rank k');
    expect(await usage('--factors')).toBe('--factors goes with --low-rank.');
    expect(await usage('--out', outPath)).toBe('--out goes with --low-rank.');
    expect(await usage('--low-rank', '8', '--out', outPath, '--netron')).toBe('--low-rank exports one model; leave out --netron.');
    expect(await usage('--low-rank', '8', '--out', outPath, '--layers', 'fc3.weight')).toBe('--layers: "stroke-cnn.safetensors" has no tensor "fc3.weight".');
    expect(await usage('--low-rank', '8', '--out', outPath, '--layers', 'fc1.bias')).toBe('--layers: "fc1.bias" is not a dense or conv float tensor.');
    expect(await usage('--low-rank', '600', '--out', outPath)).toContain('leaves every chosen layer as it is');
    const copy = join(dir, 'model.safetensors');
    copyFileSync(SAMPLE, copy);
    const same = await run(copy, '--low-rank', '8', '--out', copy);
    expect([same.code, same.err.split('\n')[0]]).toEqual([2, `--out "${copy}" is the model being read; choose another file.`]);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });
});
