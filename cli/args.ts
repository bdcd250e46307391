/** The CLI's command line, parsed and checked (node:util parseArgs; no dependency needed for this much). */
import { parseArgs } from 'node:util';

export type OutputFormat = 'table' | 'json' | 'csv' | 'netron';
export type ConvDefinitionName = 'ww-pooled' | 'unfold' | 'operator';
const CONV_DEFINITIONS: readonly ConvDefinitionName[] = ['ww-pooled', 'unfold', 'operator'];
export type NormalizationName = 'none' | 'per-row' | 'mp';
const NORMALIZATIONS: readonly NormalizationName[] = ['none', 'per-row', 'mp'];

/** What `artificial-mri analyze` was asked to do. */
export interface AnalyzeArgs {
  readonly files: readonly string[];
  readonly output: OutputFormat;
  readonly conv: ConvDefinitionName;
  /** Input size n of the `operator` definition. */
  readonly operatorInputSize?: number;
  readonly mpFit: boolean;
  /** How λ is scaled before the fits: none (WeightWatcher), per-row, mp. */
  readonly normalization: NormalizationName;
  readonly randomize: boolean;
  readonly seed?: number;
  /** WeightWatcher's layer filters (defaults as WW). */
  readonly minEvals?: number;
  readonly maxEvals?: number;
  readonly maxN?: number;
  readonly exactTail: 'auto' | 'always' | 'off';
  /** Linear algebra: the WASM SIMD kernels (default) or plain TypeScript. */
  readonly linalg: 'wasm' | 'typescript';
  /** Each file (or folder) is one checkpoint of the same architecture: a study over training steps. */
  readonly checkpoints: boolean;
  /** Two models (files or folders): what changed from the first to the second, layer by layer. */
  readonly diff: boolean;
  /** Singular directions compared by --diff (top-k subspaces). */
  readonly k: number;
  /** --low-rank: write a copy with layers truncated to a rank k, or to the rank keeping an energy fraction (0 < q < 1). */
  readonly lowRank?: { readonly k: number } | { readonly energy: number };
  /** --out: the safetensors file --low-rank writes. */
  readonly out?: string;
  /** --factors: write each truncated layer as its factor pair instead of W_k. */
  readonly factors: boolean;
  /** --layers: the tensors --low-rank truncates (default: every dense and conv layer). */
  readonly layers?: readonly string[];
}

export const USAGE = `Usage: npm run analyze -- <model files or folders…> [options]
       npx artificial-mri analyze <model files or folders…> [options]

Prints one record per analysed layer with WeightWatcher-compatible column names.

Options:
  --json              one JSON document (model, definitions, layers)
  --csv               CSV, one row per layer
  --netron            a Netron attachment (JSON, "signature": "netron:attachment"): save it as *.json and
                      open it in Netron over the same model to see each layer's metrics in its sidebar
  --conv <name>       conv definition: ww-pooled (default), unfold, operator
  --input-size <n>    input size n×n of --conv operator (default 16)
  --mp-fit            add the Marchenko-Pastur fit columns
  --normalize <m>     λ before the fits: none (default, WeightWatcher's σ²), per-row (σ²/rows), mp (σ²/N)
  --randomize         add the randomised-ESD columns (seeded shuffle of each layer's entries)
  --seed <n>          seed of --randomize (default 20241123)
  --min-evals <n>     skip layers with fewer eigenvalues (WW min_evals)
  --max-evals <n>     skip layers with more eigenvalues (WW max_evals)
  --max-n <n>         skip layers with N larger than this (WW max_N)
  --exact-tail <m>    auto (default: Jacobi for tails near the Gram noise floor), always, off
  --linalg <name>     wasm (default: the SIMD kernels) or typescript (same numbers, slower)
  --checkpoints       each file or folder is a checkpoint of one model: order them by the step in their
                      names, match layers by name and shape, and print every metric per layer and step
                      (CSV/JSON: one record per checkpoint and layer, with "checkpoint" and "step" columns)
  --diff              two models A B (e.g. base and fine-tune): per layer ‖ΔW‖_F/‖W_A‖_F, the spectrum and
                      ranks of ΔW = W_B − W_A, and the principal angles between the top-k singular subspaces
  --k <n>             subspace size of --diff (default 10)
  --low-rank <k|q>    write a copy of the model with each dense and conv layer replaced by its best rank-k
                      approximation W_k (same names, shapes, layout and dtype): k a whole number, or an
                      energy fraction 0 < q < 1 meaning per layer the smallest k with Σ_{j≤k} σ² ≥ q·Σσ².
                      Needs --out; prints each layer's k, energy kept, relative error and parameters
  --out <file>        the .safetensors file --low-rank writes (unchanged tensors are copied as stored)
  --factors           with --low-rank: store each layer as <stem>.lowrank_left = U_k·√Σ_k and
                      <stem>.lowrank_right = √Σ_k·V_kᵀ (a conv as a k-channel conv then a 1×1 conv)
  --layers <a,b,…>    with --low-rank: truncate only these tensors
  -h, --help          this text`;

/** A command line the CLI cannot run; the message says why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} needs a whole number ≥ 0, got "${text}".`);
  return n;
}

/**
 * Parse the arguments after `analyze`.
 * @returns null when help was asked for
 * @throws UsageError for unknown options, a bad value, or no files
 */
export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        netron: { type: 'boolean' },
        conv: { type: 'string' },
        'input-size': { type: 'string' },
        'mp-fit': { type: 'boolean' },
        normalize: { type: 'string' },
        randomize: { type: 'boolean' },
        seed: { type: 'string' },
        'min-evals': { type: 'string' },
        'max-evals': { type: 'string' },
        'max-n': { type: 'string' },
        linalg: { type: 'string' },
        'exact-tail': { type: 'string' },
        checkpoints: { type: 'boolean' },
        diff: { type: 'boolean' },
        k: { type: 'string' },
        'low-rank': { type: 'string' },
        out: { type: 'string' },
        factors: { type: 'boolean' },
        layers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const outputs = (['json', 'csv', 'netron'] as const).filter((o) => values[o]);
  if (outputs.length > 1) throw new UsageError(`Choose one of --json, --csv and --netron; got ${outputs.map((o) => `--${o}`).join(' and ')}.`);
  const conv = values.conv ?? 'ww-pooled';
  if (!(CONV_DEFINITIONS as readonly string[]).includes(conv)) throw new UsageError(`--conv must be one of ${CONV_DEFINITIONS.join(', ')}; got "${conv}".`);
  const normalization = values.normalize ?? 'none';
  if (!(NORMALIZATIONS as readonly string[]).includes(normalization)) throw new UsageError(`--normalize must be one of ${NORMALIZATIONS.join(', ')}; got "${normalization}".`);
  const linalg = values.linalg ?? 'wasm';
  if (linalg !== 'wasm' && linalg !== 'typescript') throw new UsageError(`--linalg must be wasm or typescript; got "${linalg}".`);
  const exactTail = values['exact-tail'] ?? 'auto';
  if (exactTail !== 'auto' && exactTail !== 'always' && exactTail !== 'off') throw new UsageError(`--exact-tail must be auto, always or off; got "${exactTail}".`);
  if (positionals.length === 0) throw new UsageError('Give at least one model file (or folder).');
  if ((values.checkpoints || values.diff) && values.netron) throw new UsageError('--netron describes one model; leave it out with --checkpoints or --diff.');
  if (values.checkpoints && values.diff) throw new UsageError('Choose one of --checkpoints and --diff.');
  if (values.diff && positionals.length !== 2) throw new UsageError(`--diff compares two models (files or folders); got ${positionals.length}.`);
  const lowRank = lowRankOf(values['low-rank']);
  if (lowRank) {
    if (values.out === undefined) throw new UsageError('--low-rank writes a file: give it with --out <file.safetensors>.');
    if (!values.out.toLowerCase().endsWith('.safetensors')) throw new UsageError(`--out must name a .safetensors file; got "${values.out}".`);
    const clash = ['checkpoints', 'diff', 'netron'] as const;
    const other = clash.find((o) => values[o]);
    if (other) throw new UsageError(`--low-rank exports one model; leave out --${other}.`);
  } else {
    const orphan = (['out', 'factors', 'layers'] as const).find((o) => values[o] !== undefined);
    if (orphan) throw new UsageError(`--${orphan} goes with --low-rank.`);
  }
  const layers = values.layers?.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  if (layers?.length === 0) throw new UsageError('--layers needs at least one tensor name (comma-separated).');
  return {
    files: positionals,
    output: outputs[0] ?? 'table',
    conv: conv as ConvDefinitionName,
    operatorInputSize: count('input-size', values['input-size']),
    mpFit: values['mp-fit'] ?? false,
    normalization: normalization as NormalizationName,
    randomize: values.randomize ?? false,
    seed: count('seed', values.seed),
    minEvals: count('min-evals', values['min-evals']),
    maxEvals: count('max-evals', values['max-evals']),
    maxN: count('max-n', values['max-n']),
    linalg,
    exactTail,
    checkpoints: values.checkpoints ?? false,
    diff: values.diff ?? false,
    k: count('k', values.k) ?? 10,
    ...(lowRank ? { lowRank } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
    factors: values.factors ?? false,
    ...(layers ? { layers } : {}),
  };
}

/** `--low-rank`: a whole number ≥ 1 is a rank, a number strictly between 0 and 1 an energy fraction. */
function lowRankOf(text: string | undefined): AnalyzeArgs['lowRank'] {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() !== '' && Number.isInteger(n) && n >= 1) return { k: n };
  if (text.trim() !== '' && n > 0 && n < 1) return { energy: n };
  throw new UsageError(`--low-rank needs a rank k (a whole number ≥ 1) or an energy fraction between 0 and 1 (e.g. 0.9); got "${text}".`);
}
