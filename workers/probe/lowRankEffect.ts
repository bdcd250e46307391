/**
 * The low-rank what-if on a running model (issue 9): the batch run to the model's (first) output with the session's
 * edits, then with chosen layers replaced by their best rank-k approximation W_k (the `lowRank` weight edit,
 * Eckart–Young on the matrix the analysis sees: dense out × in, conv c_out × c_in·kh·kw) appended to those edits,
 * and the session's edits restored, also when a run fails or is cancelled. The caller holds the session alone
 * (sessionLock.ts, exclusive), so no other request sees the truncated weights.
 *
 * A rank can be given as `energy`: the smallest k whose top σ² hold that fraction of Σσ² (`rankForEnergy`), σ of the
 * weight as the session runs it now (the session's cached SVD, the same matrix `run` projects on).
 */
import { rankForEnergy } from '../../src/analysis/checkpoints/lowRank';
import type { WeightEdit } from '../../src/analysis/curves/weightEdits';
import type { LowRankLayer, LowRankTruncation, ProbeBatch, ProbeLowRankEffect, ProbeOutputs } from '../probeProtocol';
import { PROBE_OUTPUT_VALUES_CAP } from '../probeProtocol';
import type { NeuronCache } from './chunkedRun';
import { checkBatch } from './chunkedRun';
import { ProbeError, asRunFailure, shapeText } from './probeErrors';
import type { ActivationSource, ProbeHooks, RunnableLayer } from './probeSession';
import type { WeightEditor } from './weightEditor';

/** What the measurement needs of a session. */
export interface LowRankContext {
  readonly source: ActivationSource;
  readonly editor: WeightEditor;
  readonly neurons: NeuronCache;
  readonly layerNamed: (name: string) => RunnableLayer;
}

/** Let queued messages (a `cancel`) in between chunks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const cancelled = () => new ProbeError('PROBE_CANCELLED', 'The probe run was cancelled.');

/** Σ x² in float64. */
function squaredNorm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] as number) ** 2;
  return s;
}

/** Σ (a − b)² in float64. */
function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s;
}

/** min(rows, cols) of a layer's matrix: c_out rows, every other weight value spread over the columns. */
function fullRankOf(layer: RunnableLayer): number {
  const size = layer.weight.shape.reduce((a, b) => a * b, 1);
  return Math.min(layer.outChannels, size / layer.outChannels);
}

/** The requests by tensor (a later entry for a tensor replaces an earlier one), checked. */
function checkedLayers(layers: readonly LowRankLayer[], layerNamed: (name: string) => RunnableLayer): Map<string, { layer: RunnableLayer; spec: LowRankLayer }> {
  const byTensor = new Map<string, { layer: RunnableLayer; spec: LowRankLayer }>();
  for (const spec of layers) {
    const layer = layerNamed(spec.tensor);
    if ('k' in spec && !(Number.isInteger(spec.k) && spec.k >= 0)) {
      throw new ProbeError('PROBE_BAD_EDIT', `The rank for "${spec.tensor}" must be a non-negative integer, got ${spec.k}.`, { remedy: `Choose k between 1 and ${fullRankOf(layer)}.` });
    }
    if ('energy' in spec && !(spec.energy > 0 && spec.energy <= 1)) {
      throw new ProbeError('PROBE_BAD_EDIT', `The energy fraction for "${spec.tensor}" must be in (0, 1], got ${spec.energy}.`, { remedy: 'Use e.g. 0.9 for the rank that keeps 90 % of Σσ².' });
    }
    byTensor.delete(spec.tensor);
    byTensor.set(spec.tensor, { layer, spec });
  }
  return byTensor;
}

/**
 * Run the batch in chunks to the model's first output, keeping each input's first PROBE_OUTPUT_VALUES_CAP values.
 *
 * @param step reports progress before each chunk; called with the stage, it advances after the chunk
 */
async function runOutputs(source: ActivationSource, batch: ProbeBatch, n: number, shouldCancel: () => boolean, step: (stage: string) => void, advance: () => void, what: string): Promise<ProbeOutputs> {
  const perInput = batch.data.length / n;
  const chunk = Math.max(1, Math.min(n, source.chunkSize));
  let result: { name: string; dims: readonly number[]; width: number; values: Float32Array } | null = null;
  try {
    for (let start = 0; start < n; start += chunk) {
      if (shouldCancel()) throw cancelled();
      const m = Math.min(chunk, n - start);
      step(`${what}: inputs ${start + 1}–${start + m} of ${n}`);
      const out = await source.outputs(batch.data.subarray(start * perInput, (start + m) * perInput), [m, ...batch.shape.slice(1)]);
      const size = out.dims.reduce((a, b) => a * b, 1);
      if (out.data.length !== m * size || size < 1) {
        throw new ProbeError('PROBE_RUN_FAILED', `The model's output "${out.name}" has ${out.data.length} values for ${m} inputs of shape ${shapeText(out.dims)}.`);
      }
      if (result && shapeText(result.dims) !== shapeText(out.dims)) {
        throw new ProbeError('PROBE_RUN_FAILED', `The model's output "${out.name}" changed shape between runs: ${shapeText(result.dims)}, then ${shapeText(out.dims)}.`);
      }
      if (!result) {
        const width = Math.min(size, PROBE_OUTPUT_VALUES_CAP);
        result = { name: out.name, dims: out.dims, width, values: new Float32Array(n * width) };
      }
      const { width, values } = result;
      for (let i = 0; i < m; i++) values.set(out.data.subarray(i * size, i * size + width), (start + i) * width);
      advance();
      await yieldToEventLoop();
    }
  } catch (error) {
    throw asRunFailure(error, `${source.runtime} failed to run the model`);
  }
  return result as ProbeOutputs;
}

/**
 * The model's outputs before and after truncating `layers`, the session's edits restored at the end (see the file
 * comment). The caller holds the session alone.
 *
 * @throws ProbeError PROBE_INPUT_SHAPE, PROBE_NO_SUCH_LAYER, PROBE_BAD_EDIT, PROBE_RUN_FAILED, PROBE_CANCELLED
 */
export async function measureLowRankEffect(context: LowRankContext, batch: ProbeBatch, layers: readonly LowRankLayer[], hooks: ProbeHooks): Promise<ProbeLowRankEffect> {
  const { source, editor, neurons, layerNamed } = context;
  const { shouldCancel = () => false, onProgress } = hooks;
  const n = checkBatch(batch, source.input);
  const requests = [...checkedLayers(layers, layerNamed).values()];
  const bySvd = neurons.missing(requests.filter((r) => 'energy' in r.spec).map((r) => r.layer));
  const chunks = Math.ceil(n / Math.max(1, Math.min(n, source.chunkSize)));
  const total = bySvd.length + 2 * chunks + 2;
  let done = 0;
  const step = (stage: string) => onProgress?.(done, total, stage);
  const advance = () => {
    done++;
  };

  for (const layer of bySvd) {
    if (shouldCancel()) throw cancelled();
    step(`singular values of ${layer.tensor}`);
    try {
      await neurons.fill(layer, shouldCancel);
    } catch (error) {
      throw asRunFailure(error, `the SVD of "${layer.tensor}" failed`);
    }
    advance();
    await yieldToEventLoop();
  }
  const truncations = requests.map(({ layer, spec }) => {
    const fullRank = fullRankOf(layer);
    const k = 'k' in spec ? spec.k : rankForEnergy(neurons.get(layer).neurons.sigma, spec.energy);
    return { layer, k: Math.min(k, fullRank), fullRank };
  });

  const before = await runOutputs(source, batch, n, shouldCancel, step, advance, 'as the model runs now');
  if (shouldCancel()) throw cancelled();

  const previous = editor.current();
  const weightsBefore = new Map<string, Float32Array>();
  for (const { layer } of truncations) weightsBefore.set(layer.tensor, editor.editedValues(layer.tensor) ?? Float32Array.from(await layer.weight.read()));
  const lowRank: WeightEdit[] = truncations.map(({ layer, k }) => ({ tensor: layer.tensor, op: 'lowRank', k }));
  step(`truncating ${truncations.map((t) => `${t.layer.tensor} to rank ${t.k}`).join(', ')}`);
  // A refused edit leaves the previous edits in force: nothing to restore.
  await editor.edit([...previous, ...lowRank], (changed) => neurons.invalidate(changed));
  advance();
  let summaries: LowRankTruncation[];
  let after: ProbeOutputs;
  try {
    summaries = truncations.map(({ layer, k, fullRank }): LowRankTruncation => {
      const w = weightsBefore.get(layer.tensor) as Float32Array;
      const wk = editor.editedValues(layer.tensor) ?? w;
      const norm = squaredNorm(w);
      return {
        tensor: layer.tensor,
        k,
        fullRank,
        energyKept: norm > 0 ? squaredNorm(wk) / norm : 1,
        relativeError: norm > 0 ? Math.sqrt(squaredDistance(w, wk) / norm) : 0,
      };
    });
    after = await runOutputs(source, batch, n, shouldCancel, step, advance, 'truncated');
  } finally {
    step('restoring the weights');
    await editor.edit(previous, (changed) => neurons.invalidate(changed));
    advance();
  }
  step('done');
  return { before, after, layers: summaries };
}
