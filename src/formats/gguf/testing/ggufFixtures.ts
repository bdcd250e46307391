/**
 * The small GGUF files committed under `e2e/fixtures/gguf/`, as pure builders: `scripts/fixtures/makeGgufFixtures.ts`
 * writes them, and `ggufFixtures.test.ts` checks that the committed bytes still equal these builders' output
 * and that each opens (or fails) as described. Deterministic: every random value comes from a fixed seed.
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import type { FormatErrorCode } from '../../formatError';
import type { GgufTensorToWrite } from './writeGguf';
import { bf16Bytes, f16Bytes, f32Bytes, gv, patternBytes, quantizeQ8_0, writeGguf } from './writeGguf';

/** The seed of the fixtures' random values. */
export const GGUF_FIXTURE_SEED = 20240715;

/** A committed fixture: how it is made and what opening it gives. */
export interface GgufFixture {
  /** Path under `e2e/fixtures/gguf/`. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  readonly bytes: () => Uint8Array;
  /** Tensors and analysable tensors when it opens … */
  readonly tensors?: number;
  readonly analysable?: number;
  /** … or the error code when it does not. */
  readonly error?: FormatErrorCode;
}

const N_EMBD = 32;
const N_VOCAB = 64;
/** 256, so that the Q4_K tensor's ne[0] is one super-block. */
const N_FF = 256;

/** `n` N(0, std²) values. */
const normal = (rng: Rng, n: number, std: number) => Array.from({ length: n }, () => std * gaussian(rng));

/** A row-major [rows, cols] matrix is stored with ne = [cols, rows]. */
function tinyLlmTensors(): GgufTensorToWrite[] {
  const rng = seededRandom(GGUF_FIXTURE_SEED);
  const he = (rows: number, cols: number) => normal(rng, rows * cols, Math.sqrt(2 / cols));
  const ones = (n: number) => Array.from({ length: n }, () => 1 + (rng() - 0.5) / 10);
  return [
    { name: 'token_embd.weight', ne: [N_EMBD, N_VOCAB], type: 'F16', data: f16Bytes(normal(rng, N_EMBD * N_VOCAB, 0.02)) },
    { name: 'blk.0.attn_norm.weight', ne: [N_EMBD], type: 'F32', data: f32Bytes(ones(N_EMBD)) },
    { name: 'blk.0.attn_q.weight', ne: [N_EMBD, N_EMBD], type: 'F32', data: f32Bytes(he(N_EMBD, N_EMBD)) },
    { name: 'blk.0.attn_k.weight', ne: [N_EMBD, N_EMBD], type: 'BF16', data: bf16Bytes(he(N_EMBD, N_EMBD)) },
    { name: 'blk.0.ffn_norm.weight', ne: [N_EMBD], type: 'F32', data: f32Bytes(ones(N_EMBD)) },
    { name: 'blk.0.ffn_up.weight', ne: [N_EMBD, N_FF], type: 'Q8_0', data: quantizeQ8_0(he(N_FF, N_EMBD)) },
    // Listed, not decoded: the bytes only need the right length (32 rows of one 144-byte super-block).
    { name: 'blk.0.ffn_down.weight', ne: [N_FF, N_EMBD], type: 'Q4_K', data: patternBytes((N_EMBD * N_FF * 144) / 256) },
    { name: 'output_norm.weight', ne: [N_EMBD], type: 'F32', data: f32Bytes(ones(N_EMBD)) },
  ];
}

/** The tokenizer and model metadata llama.cpp's converter writes, cut down to a 64-token vocabulary. */
function tinyLlmMetadata() {
  const tokens = Array.from({ length: N_VOCAB }, (_, i) => (i < 3 ? ['<unk>', '<s>', '</s>'][i] as string : `tok${i}`));
  return [
    ['general.architecture', gv.str('llama')],
    ['general.name', gv.str('tiny-llm')],
    ['general.file_type', gv.u32(7)],
    ['general.quantization_version', gv.u32(2)],
    ['llama.context_length', gv.u32(128)],
    ['llama.embedding_length', gv.u32(N_EMBD)],
    ['llama.feed_forward_length', gv.u32(N_FF)],
    ['llama.block_count', gv.u32(1)],
    ['llama.attention.head_count', gv.u32(4)],
    ['llama.attention.layer_norm_rms_epsilon', gv.f32(1e-5)],
    ['tokenizer.ggml.model', gv.str('llama')],
    ['tokenizer.ggml.tokens', gv.array('string', tokens.map(gv.str))],
    ['tokenizer.ggml.scores', gv.array('float32', tokens.map((_, i) => gv.f32(-i)))],
    ['tokenizer.ggml.token_type', gv.array('int32', tokens.map((_, i) => gv.i32(i < 3 ? 3 : 1)))],
    ['tokenizer.ggml.bos_token_id', gv.u32(1)],
    ['tokenizer.ggml.add_bos_token', gv.bool(true)],
  ] as const;
}

/** tiny-llm.gguf's bytes. */
export function tinyLlmGguf(): Uint8Array {
  return writeGguf({ metadata: tinyLlmMetadata(), tensors: tinyLlmTensors() });
}

/** Every GGUF fixture. */
export const GGUF_FIXTURES: readonly GgufFixture[] = [
  {
    path: 'tiny-llm.gguf',
    recipe:
      `GGUF v3 of a one-block llama (n_embd ${N_EMBD}, n_ff ${N_FF}, ${N_VOCAB}-token vocabulary with scores and types): token_embd F16, ` +
      'attn_q F32, attn_k BF16, ffn_up Q8_0 (dequantized on read), ffn_down Q4_K (listed as not yet supported), three F32 norm vectors; ' +
      `He-initialised, seed ${GGUF_FIXTURE_SEED}.`,
    bytes: tinyLlmGguf,
    tensors: 8,
    analysable: 4,
  },
  {
    path: 'offset-beyond-eof.gguf',
    recipe: 'A one-tensor GGUF whose F32 tensor is declared at data offset 1 MiB, far past the end of the file: OFFSETS_OUT_OF_BOUNDS.',
    bytes: () =>
      writeGguf({
        metadata: [['general.architecture', gv.str('llama')]],
        tensors: [{ name: 'w', ne: [4, 2], type: 'F32', data: f32Bytes([1, 2, 3, 4, 5, 6, 7, 8]), offset: 1 << 20 }],
      }),
    error: 'OFFSETS_OUT_OF_BOUNDS',
  },
  {
    path: 'truncated.gguf',
    recipe: 'The first 1000 bytes of tiny-llm.gguf, cut inside the tokenizer metadata: TRUNCATED.',
    bytes: () => tinyLlmGguf().slice(0, 1000),
    error: 'TRUNCATED',
  },
];

/** A file written by ggml itself (not generated here), under `e2e/fixtures/gguf/ggml-0.5.0/`. */
export interface RealGgufFixture {
  readonly path: string;
  readonly recipe: string;
  readonly tensors: number;
  readonly analysable: number;
}

/** Files written by real ggml, committed as they came out, with ggml's own dequantized values in `values.json`. */
export const REAL_GGUF_FIXTURES: readonly RealGgufFixture[] = [
  {
    path: 'ggml-0.5.0/ggml-written.gguf',
    recipe:
      'gguf_write_to_file of ggml 0.5.0: token_embd F16, attn_norm F32, attn_q F32, attn_k BF16, ffn_up Q8_0, ffn_gate Q4_0 and ffn_down Q4_K ' +
      '(quantized by ggml_quantize_chunk), positions I32; tokenizer tokens and scores.',
    tensors: 8,
    analysable: 4,
  },
];
