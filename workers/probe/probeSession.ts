/**
 * What every runnable model does on a probe run, whatever runs it (SCIENCE.md §3): check the batch against the
 * model's input, compute each requested layer's singular directions U once (dense W as out × in, conv kernels
 * as their unfold matrix; cached for the session), feed the batch in chunks to the runtime adapter, and project
 * each chunk's activations: P = Uᵀ(A − bias), aggregated over positions. Cancellation is checked between
 * chunks and inside the SVD; progress is one step per layer SVD and per chunk.
 */
import type { ConvLayout, TensorRef } from '../../src/model/types';
import { projectAggregateBatch } from '../../src/analysis/profiles/index';
import type { ProbeAggregate, ProbeBatch, ProbeInputSpec, ProbeLayer, ProbeLayerResult, ProbeModelInfo } from '../probeProtocol';
import type { LayerNeurons } from './layerNeurons';
import { layerNeurons } from './layerNeurons';
import { ProbeError, asRunFailure, shapeText } from './probeErrors';

/** Callbacks of one run. */
export interface ProbeHooks {
  /** Polled between chunks and inside the SVD; true stops the run with PROBE_CANCELLED. */
  readonly shouldCancel?: () => boolean;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

/** An open model, ready to probe. */
export interface ProbeSession {
  readonly info: ProbeModelInfo;
  /**
   * Project the batch's activations of `layers` (tensor names from `info.layers`) onto their singular directions.
   *
   * @throws ProbeError PROBE_NOT_RUNNABLE, PROBE_INPUT_SHAPE, PROBE_NO_SUCH_LAYER, PROBE_RUN_FAILED, PROBE_CANCELLED
   */
  run(batch: ProbeBatch, layers: readonly string[], aggregate: ProbeAggregate, hooks?: ProbeHooks): Promise<ProbeLayerResult[]>;
  dispose(): void;
}

/** How a layer's weight becomes the matrix W whose left singular vectors are U. */
export type LayerMatrix = { readonly kind: 'dense'; readonly orientation: 'out×in' | 'in×out' } | { readonly kind: 'conv'; readonly layout: ConvLayout };

/** A probe-able layer with what the session needs to compute its U. */
export interface RunnableLayer extends ProbeLayer {
  readonly weight: TensorRef;
  readonly matrix: LayerMatrix;
}

/** One layer's activations for a chunk of n inputs. */
export interface LayerActivation {
  /** A, n × c_out × positions row-major (float32 as the runtime computes it). */
  readonly data: Float32Array;
  readonly positions: number;
  /** The bias to subtract (length c_out), or null when A has none in it. */
  readonly bias: ArrayLike<number> | null;
}

/** What a runtime adapter (onnxruntime-web, tfjs) provides to a session. */
export interface ActivationSource {
  readonly runtime: NonNullable<ProbeModelInfo['runtime']>;
  readonly input: ProbeInputSpec;
  readonly layers: readonly RunnableLayer[];
  /** Inputs per runtime call (the adapter pads or splits further if its model needs it). */
  readonly chunkSize: number;
  /**
   * Run n inputs (`shape` = [n, …] in the input's layout) and return the activations of `layers`, by tensor name.
   * Throws whatever the runtime throws (the session reports it as PROBE_RUN_FAILED).
   */
  activations(data: Float32Array, shape: readonly number[], layers: readonly RunnableLayer[]): Promise<Map<string, LayerActivation>>;
  dispose(): void;
}

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

/**
 * A session over a runtime adapter: checks, U cache, chunked runs, projection.
 *
 * @param source the runtime adapter (disposed with the session)
 */
export function createProbeSession(source: ActivationSource): ProbeSession {
  const byName = new Map(source.layers.map((l) => [l.tensor, l]));
  const cache = new Map<string, LayerNeurons>();
  const info: ProbeModelInfo = {
    runnable: true,
    runtime: source.runtime,
    input: source.input,
    layers: source.layers.map(({ tensor, op, outChannels }) => ({ tensor, op, outChannels })),
  };
  return {
    info,
    async run(batch, names, aggregate, hooks = {}) {
      const { shouldCancel = () => false, onProgress } = hooks;
      const cancelled = () => new ProbeError('PROBE_CANCELLED', 'The probe run was cancelled.');
      const layers = [...new Set(names)].map((name) => {
        const layer = byName.get(name);
        if (!layer) {
          throw new ProbeError('PROBE_NO_SUCH_LAYER', `"${name}" is not a layer this model can probe.`, {
            remedy: `Choose among the model's probe-able layers (${source.layers.length}): dense and conv weights used by a ${[...new Set(source.layers.map((l) => l.op))].join('/') || 'Conv/Gemm/MatMul'} op.`,
          });
        }
        return layer;
      });
      const n = checkBatch(batch, source.input);
      const perInput = batch.data.length / n;
      const chunk = Math.max(1, Math.min(n, source.chunkSize));
      const chunks = Math.ceil(n / chunk);
      const missing = layers.filter((l) => !cache.has(l.tensor));
      const total = missing.length + chunks;
      let done = 0;
      const step = (stage: string) => onProgress?.(done, total, stage);

      try {
        for (const layer of missing) {
          if (shouldCancel()) throw cancelled();
          step(`singular vectors of ${layer.tensor}`);
          cache.set(layer.tensor, await layerNeurons(layer, shouldCancel));
          done++;
          await yieldToEventLoop();
        }
        const out = new Map(layers.map((l) => [l.tensor, new Float64Array(n * (cache.get(l.tensor) as LayerNeurons).neurons.rank)]));
        for (let start = 0; start < n; start += chunk) {
          if (shouldCancel()) throw cancelled();
          const m = Math.min(chunk, n - start);
          step(`running inputs ${start + 1}–${start + m} of ${n}`);
          const data = batch.data.subarray(start * perInput, (start + m) * perInput);
          const acts = await source.activations(data, [m, ...batch.shape.slice(1)], layers);
          for (const layer of layers) {
            const act = acts.get(layer.tensor);
            if (!act) throw new ProbeError('PROBE_RUN_FAILED', `The runtime returned no activation for layer "${layer.tensor}".`);
            if (act.data.length !== m * layer.outChannels * act.positions) {
              throw new ProbeError(
                'PROBE_RUN_FAILED',
                `The activation of "${layer.tensor}" has ${act.data.length} values, ${m} inputs × ${layer.outChannels} channels × ${act.positions} positions needs ${m * layer.outChannels * act.positions}.`,
              );
            }
            const { neurons } = cache.get(layer.tensor) as LayerNeurons;
            const aggregates = projectAggregateBatch(neurons, act.data, m, act.positions, act.bias, aggregate);
            (out.get(layer.tensor) as Float64Array).set(aggregates, start * neurons.rank);
          }
          done++;
          await yieldToEventLoop();
        }
        step('done');
        return layers.map((layer) => {
          const { definition, neurons } = cache.get(layer.tensor) as LayerNeurons;
          // σ is copied: the cached one must survive the transfer of the result's buffers.
          return { tensor: layer.tensor, definition, rank: neurons.rank, sigma: neurons.sigma.slice(), aggregates: out.get(layer.tensor) as Float64Array };
        });
      } catch (error) {
        throw asRunFailure(error, `${source.runtime} failed to run the model`);
      }
    },
    dispose() {
      cache.clear();
      source.dispose();
    },
  };
}

/** A session for a model without a runnable graph: it says why, and refuses to run. */
export function notRunnableSession(reason: string, extra: Pick<ProbeModelInfo, 'runtime' | 'input'> = {}): ProbeSession {
  return {
    info: { runnable: false, reason, ...extra, layers: [] },
    run() {
      return Promise.reject(new ProbeError('PROBE_NOT_RUNNABLE', reason, { remedy: 'Open an ONNX model (.onnx) or a TF.js layers model (model.json with its weight files) to run probes.' }));
    },
    dispose() {},
  };
}
