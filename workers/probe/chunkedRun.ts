/**
 * The steps every probe request on a runtime shares (probeSession.ts): the batch checked against the model's
 * input, the singular directions U of the layers that need them (cached per session, computed from the current,
 * possibly edited, weights), then the batch fed to the runtime adapter in chunks. Cancellation is checked between
 * chunks and inside the SVD; progress is one step per layer SVD and per chunk.
 */
import type { ProbeBatch, ProbeInputSpec } from '../probeProtocol';
import type { LayerNeurons } from './layerNeurons';
import { layerNeurons } from './layerNeurons';
import { ProbeError, asRunFailure, shapeText } from './probeErrors';
import type { ActivationSource, LayerActivation, ProbeHooks, RunnableLayer } from './probeSession';

/** Let queued messages (a `cancel`) in between chunks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Check a batch against the model's input; returns N. */
export function checkBatch(batch: ProbeBatch, spec: ProbeInputSpec): number {
  const { shape, data } = batch;
  const expected = spec.layout === 'NCHW' ? ['N', spec.channels, spec.height ?? 'H', spec.width ?? 'W'] : ['N', spec.height ?? 'H', spec.width ?? 'W', spec.channels];
  const fail = (why: string) =>
    new ProbeError('PROBE_INPUT_SHAPE', `The batch does not fit input "${spec.name}": expected ${shapeText(expected)} (${spec.layout}), got ${shapeText(shape)}; ${why}.`, {
      remedy: `Resize the inputs to the model's input size and lay them out as ${spec.layout}.`,
    });
  if (shape.length !== 4) throw fail(`the batch must be 4-D, ${spec.layout}`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) throw fail('every dimension must be a positive integer');
  const [n, a, b, c] = shape as [number, number, number, number];
  const [channels, height, width] = spec.layout === 'NCHW' ? [a, b, c] : [c, a, b];
  if (channels !== spec.channels) throw fail(`the model takes ${spec.channels} channel${spec.channels === 1 ? '' : 's'}, the batch has ${channels}`);
  if (spec.height !== null && height !== spec.height) throw fail(`the model takes height ${spec.height}, the batch has ${height}`);
  if (spec.width !== null && width !== spec.width) throw fail(`the model takes width ${spec.width}, the batch has ${width}`);
  if (data.length !== n * a * b * c) throw fail(`the data holds ${data.length} values, the shape needs ${n * a * b * c}`);
  return n;
}

/** A session's cache of singular directions, by layer. */
export interface NeuronCache {
  readonly get: (layer: RunnableLayer) => LayerNeurons;
  readonly missing: (layers: readonly RunnableLayer[]) => RunnableLayer[];
  readonly fill: (layer: RunnableLayer, shouldCancel: () => boolean) => Promise<void>;
  /** Forget the layers whose weights changed (U depends on W). */
  readonly invalidate: (tensors: Iterable<string>) => void;
  readonly clear: () => void;
}

/**
 * @param editedValues a layer's edited weight (stored order), or undefined for the file's own
 */
export function neuronCache(editedValues: (tensor: string) => Float32Array | undefined): NeuronCache {
  const cache = new Map<string, LayerNeurons>();
  return {
    get: (layer) => cache.get(layer.tensor) as LayerNeurons,
    missing: (layers) => layers.filter((l) => !cache.has(l.tensor)),
    fill: async (layer, shouldCancel) => {
      cache.set(layer.tensor, await layerNeurons(layer, shouldCancel, editedValues(layer.tensor)));
    },
    invalidate: (tensors) => {
      for (const t of tensors) cache.delete(t);
    },
    clear: () => cache.clear(),
  };
}

/**
 * The steps `run` and `respond` share: U of the layers in `needNeurons` not yet cached, then the batch in chunks,
 * each chunk's activations of `layers` checked and handed to `onChunk(acts, first input, inputs)`. Cancellation is
 * polled between steps (and inside the SVD); progress is one step per SVD and per chunk, then 'done'.
 */
export async function chunkedRun(
  source: ActivationSource,
  neurons: NeuronCache,
  batch: ProbeBatch,
  layers: readonly RunnableLayer[],
  needNeurons: readonly RunnableLayer[],
  options: { readonly post: boolean },
  hooks: ProbeHooks,
  onChunk: (acts: ReadonlyMap<string, LayerActivation>, start: number, m: number) => void,
): Promise<void> {
  const { shouldCancel = () => false, onProgress } = hooks;
  const cancelled = () => new ProbeError('PROBE_CANCELLED', 'The probe run was cancelled.');
  const n = checkBatch(batch, source.input);
  const perInput = batch.data.length / n;
  const chunk = Math.max(1, Math.min(n, source.chunkSize));
  const chunks = Math.ceil(n / chunk);
  const missing = neurons.missing(needNeurons);
  const total = missing.length + chunks;
  let done = 0;
  const step = (stage: string) => onProgress?.(done, total, stage);
  try {
    for (const layer of missing) {
      if (shouldCancel()) throw cancelled();
      step(`singular vectors of ${layer.tensor}`);
      await neurons.fill(layer, shouldCancel);
      done++;
      await yieldToEventLoop();
    }
    for (let start = 0; start < n; start += chunk) {
      if (shouldCancel()) throw cancelled();
      const m = Math.min(chunk, n - start);
      step(`running inputs ${start + 1}–${start + m} of ${n}`);
      const data = batch.data.subarray(start * perInput, (start + m) * perInput);
      const acts = await source.activations(data, [m, ...batch.shape.slice(1)], layers, options);
      for (const layer of layers) {
        const act = acts.get(layer.tensor);
        if (!act) throw new ProbeError('PROBE_RUN_FAILED', `The runtime returned no activation for layer "${layer.tensor}".`);
        const size = m * layer.outChannels * act.positions;
        if (act.data.length !== size || (options.post && act.post?.length !== size) || act.height * act.width !== act.positions) {
          throw new ProbeError(
            'PROBE_RUN_FAILED',
            `The activation of "${layer.tensor}" has ${act.data.length} values${options.post ? ` (post-activation: ${act.post?.length ?? 'none'})` : ''} on a ${act.height} × ${act.width} grid; ${m} inputs × ${layer.outChannels} channels × ${act.positions} positions needs ${size}.`,
          );
        }
      }
      onChunk(acts, start, m);
      done++;
      await yieldToEventLoop();
    }
    step('done');
  } catch (error) {
    throw asRunFailure(error, `${source.runtime} failed to run the model`);
  }
}

