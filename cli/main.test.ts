import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const SAMPLE = join(import.meta.dirname, '..', 'public', 'samples', 'stroke-cnn.safetensors');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('artificial-mri analyze', () => {
  it('prints one JSON record per analysable layer of the sample, in model order', async () => {
    const { code, out } = await run('analyze', SAMPLE, '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { model: { format: string }; layers: { name: string; status: string; num_evals: number }[] };
    expect(doc.model.format).toBe('safetensors');
    expect(doc.layers.map((l) => l.name)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight', 'fc2.weight']);
    expect(doc.layers.every((l) => l.status === 'ok')).toBe(true);
    expect(doc.layers.find((l) => l.name === 'fc1.weight')?.num_evals).toBe(64);
  });

  it('CSV has a header and full-precision numbers; the table is the default', async () => {
    const csv = await run(SAMPLE, '--csv');
    const [header, first] = csv.out.split('\n');
    expect(header?.split(',')).toContain('sv_max');
    expect(first).toMatch(/^conv1\.weight,16x1x5x5,F32,/);
    expect(first).toMatch(/\d\.\d{12,}/);
    const table = await run(SAMPLE);
    expect(table.out.split('\n')[0]).toMatch(/^name\s+shape\s+dtype/);
  });

  it('a bad command line exits 2 with the usage; a bad file exits 1 with its code and remedy', async () => {
    expect((await run('analyze')).code).toBe(2);
    expect((await run(SAMPLE, '--conv', 'nonsense')).err).toContain('--conv must be one of');
    expect((await run(SAMPLE, '--json', '--csv')).code).toBe(2);
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
});
