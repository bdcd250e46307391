/**
 * Generated benchmark inputs, written under bench-results/ (git-ignored). The large safetensors files are
 * sparse on disk: a real header, then `truncate` to the full size, so a "7 GB" model costs no disk and
 * reads as zeros.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../src/formats/safetensors/writeSafetensors';
import { gaussian, seededRandom } from '../src/analysis/random/seededRandom';

export const BENCH_DIR = join(import.meta.dirname, '..', 'bench-results');

/** Header-only safetensors: `tensors` F32 entries back to back, the file extended sparsely to hold their data. */
function writeSparseSafetensors(path: string, tensors: { name: string; shape: number[] }[], metadata: Record<string, string> = {}): number {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = 4 * t.shape.reduce((a, b) => a * b, 1);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.length));
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  writeSync(fd, headerBytes);
  const total = 8 + headerBytes.length + offset;
  ftruncateSync(fd, total);
  closeSync(fd);
  return total;
}

/** A ~7 GB LLM-shaped model in one sparse file: an embedding plus 8 blocks of 4 × 4096² attention and 3 × 4096×11008 MLP weights. */
export function sevenGigabyteModel(): { path: string; bytes: number; tensors: number } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, 'sparse-7gb.safetensors');
  const tensors: { name: string; shape: number[] }[] = [{ name: 'model.embed_tokens.weight', shape: [32000, 4096] }];
  for (let b = 0; b < 8; b++) {
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) tensors.push({ name: `model.layers.${b}.self_attn.${p}.weight`, shape: [4096, 4096] });
    tensors.push({ name: `model.layers.${b}.mlp.gate_proj.weight`, shape: [11008, 4096] });
    tensors.push({ name: `model.layers.${b}.mlp.up_proj.weight`, shape: [11008, 4096] });
    tensors.push({ name: `model.layers.${b}.mlp.down_proj.weight`, shape: [4096, 11008] });
    tensors.push({ name: `model.layers.${b}.input_layernorm.weight`, shape: [4096] });
  }
  const bytes = existsSync(path) ? statSync(path).size : writeSparseSafetensors(path, tensors, { note: 'sparse benchmark file: all zeros' });
  return { path, bytes, tensors: tensors.length };
}

/** The same kind of model as 4 sparse shards plus an index.json. */
export function shardedSet(): { paths: string[]; bytes: number; tensors: number } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const shards = 4;
  const paths: string[] = [];
  const weightMap: Record<string, string> = {};
  let bytes = 0;
  let count = 0;
  for (let s = 1; s <= shards; s++) {
    const name = `model-0000${s}-of-0000${shards}.safetensors`;
    const tensors: { name: string; shape: number[] }[] = [];
    for (let b = (s - 1) * 4; b < s * 4; b++) {
      for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) tensors.push({ name: `model.layers.${b}.self_attn.${p}.weight`, shape: [4096, 4096] });
      tensors.push({ name: `model.layers.${b}.mlp.down_proj.weight`, shape: [4096, 11008] });
    }
    for (const t of tensors) weightMap[t.name] = name;
    const path = join(BENCH_DIR, name);
    bytes += existsSync(path) ? statSync(path).size : writeSparseSafetensors(path, tensors);
    count += tensors.length;
    paths.push(path);
  }
  const index = join(BENCH_DIR, 'model.safetensors.index.json');
  writeSync(openSync(index, 'w'), JSON.stringify({ metadata: { total_size: bytes }, weight_map: weightMap }));
  paths.push(index);
  return { paths, bytes, tensors: count };
}

/** One real (seeded Gaussian) matrix of the given shape, e.g. GPT-2's 50257×768 token embedding. */
export function denseMatrixFile(rows: number, cols: number): string {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `dense-${rows}x${cols}.safetensors`);
  if (existsSync(path)) return path;
  const rng = seededRandom(2025);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 0.02 * gaussian(rng);
  const fd = openSync(path, 'w');
  writeSync(fd, writeSafetensors([{ name: 'wte.weight', dtype: 'F32', shape: [rows, cols], data }]));
  closeSync(fd);
  return path;
}

/** GPT-2-small's weight matrices (Hugging Face names and shapes: Conv1D stores in × out). */
export function gpt2SmallShapes(): { name: string; shape: [number, number] }[] {
  const tensors: { name: string; shape: [number, number] }[] = [
    { name: 'wte.weight', shape: [50257, 768] },
    { name: 'wpe.weight', shape: [1024, 768] },
  ];
  for (let b = 0; b < 12; b++) {
    tensors.push({ name: `h.${b}.attn.c_attn.weight`, shape: [768, 2304] });
    tensors.push({ name: `h.${b}.attn.c_proj.weight`, shape: [768, 768] });
    tensors.push({ name: `h.${b}.mlp.c_fc.weight`, shape: [768, 3072] });
    tensors.push({ name: `h.${b}.mlp.c_proj.weight`, shape: [3072, 768] });
  }
  return tensors;
}

/**
 * A GPT-2-small-shaped model with seeded N(0, 0.02²) weights (the `synthetic_gpt2small` reference of
 * ../shared/fixtures), as one ~500 MB F32 safetensors file, written tensor by tensor.
 */
export function gpt2SmallModel(): { path: string; tensors: number; parameters: number } {
  return writeGpt2Small('gpt2-small-seeded.safetensors', 'GPT-2-small shapes, N(0, 0.02^2) weights, seed 2025');
}

/**
 * The same weights plus a seeded rank-8 update in every matrix, ‖ΔW‖ about 5 % of ‖W‖: what a fine-tune (or a
 * LoRA merged in) looks like, for the two-model benchmarks.
 */
export function gpt2SmallFineTuned(): { path: string; tensors: number; parameters: number } {
  const rank = 8;
  return writeGpt2Small('gpt2-small-seeded-finetuned.safetensors', 'gpt2-small-seeded + a seeded rank-8 update per matrix (seed 7)', (t, data) => {
    const [rows, cols] = t.shape;
    const rng = seededRandom(7 + rows + cols);
    // Entries of u·vᵀ/√rank have variance s²; s = 0.05 · 0.02 makes ‖ΔW‖_F ≈ 5 % of ‖W‖_F.
    const s = (0.05 * 0.02) / Math.sqrt(rank);
    for (let r = 0; r < rank; r++) {
      const u = Float32Array.from({ length: rows }, () => gaussian(rng));
      const v = Float32Array.from({ length: cols }, () => gaussian(rng) * s);
      for (let i = 0; i < rows; i++) {
        const ui = u[i] as number;
        const o = i * cols;
        for (let j = 0; j < cols; j++) data[o + j] = (data[o + j] as number) + ui * (v[j] as number);
      }
    }
  });
}

function writeGpt2Small(
  file: string,
  note: string,
  perturb?: (tensor: { name: string; shape: [number, number] }, data: Float32Array) => void,
): { path: string; tensors: number; parameters: number } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, file);
  const shapes = gpt2SmallShapes();
  const parameters = shapes.reduce((n, t) => n + t.shape[0] * t.shape[1], 0);
  if (existsSync(path)) return { path, tensors: shapes.length, parameters };
  const header: Record<string, unknown> = { __metadata__: { note } };
  let offset = 0;
  for (const t of shapes) {
    const bytes = 4 * t.shape[0] * t.shape[1];
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const fd = openSync(`${path}.partial`, 'w');
  writeSync(fd, prefix);
  writeSync(fd, Buffer.from(json));
  const rng = seededRandom(2025);
  for (const t of shapes) {
    const data = new Float32Array(t.shape[0] * t.shape[1]);
    for (let i = 0; i < data.length; i++) data[i] = 0.02 * gaussian(rng);
    perturb?.(t, data);
    writeSync(fd, new Uint8Array(data.buffer));
  }
  closeSync(fd);
  renameSync(`${path}.partial`, path);
  return { path, tensors: shapes.length, parameters };
}
