/**
 * The analysis worker: a thin dispatcher over `src/formats` (open) and `workers/scanTensor` (spectra).
 * Holds the open model so tensor bytes are read here, lazily, and never cross to the main thread.
 */
import type { Model } from '../src/model/types';
import { toModelInfo } from '../src/model/types';
import { openModel } from '../src/formats/registry';
import { AnalysisCancelled } from '../src/analysis/cancel';
import type { AnalysisRequest, AnalysisResponse, AnalysisSettings, LayerResult } from './protocol';
import { isAnalysisRequest } from './protocol';
import { scanTensor } from './scanTensor';
import { workerLinalg } from './linalg';
import { tensorVectors } from './tensorVectors';
import { workerParallelGram } from './parallelGram';
import { toSerializedError } from './serializeError';

declare const self: DedicatedWorkerGlobalScope;

let model: Model | null = null;
/** Requests cancelled by message (the fallback when no shared flag is available). */
const cancelledByMessage = new Set<number>();

function post(message: AnalysisResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Let queued messages (a `cancel`) in between layers. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function handleOpen(id: number, files: Extract<AnalysisRequest, { kind: 'open' }>['files']): Promise<void> {
  // The previous model stays open until the new one has opened: a bad file leaves the app as it was.
  const opened = await openModel(files.map((f) => ({ name: f.name, blob: f.blob })));
  model?.dispose?.();
  model = opened;
  post({ id, kind: 'opened', model: toModelInfo(opened) });
}

async function handleAnalyze(request: Extract<AnalysisRequest, { kind: 'analyze' }>): Promise<void> {
  const { id, tensors, cancelFlag, settings } = request;
  if (!model) throw Object.assign(new Error('No model is open in the analysis worker.'), { code: 'NO_MODEL' });
  const byName = new Map(model.tensors.map((t) => [t.name, t]));
  const shouldCancel = () => (cancelFlag ? Atomics.load(cancelFlag, 0) !== 0 : false) || cancelledByMessage.has(id);
  try {
    for (let i = 0; i < tensors.length; i++) {
      const name = tensors[i] as string;
      if (shouldCancel()) throw new AnalysisCancelled();
      const ref = byName.get(name);
      if (!ref) throw Object.assign(new Error(`The open model has no tensor named "${name}".`), { code: 'NO_SUCH_TENSOR' });
      post({ id, kind: 'progress', done: i, total: tensors.length, tensor: name, fraction: 0 });
      let lastPost = 0;
      const result = await scanTensor(ref, {
        shouldCancel,
        onFraction: (fraction) => {
          const t = performance.now();
          if (t - lastPost < 50) return;
          lastPost = t;
          post({ id, kind: 'progress', done: i, total: tensors.length, tensor: name, fraction });
        },
        now: () => performance.now(),
        settings,
        linalg: await workerLinalg(settings?.linalg === 'typescript'),
        ...(await largeGramFor(settings)),
      });
      const transfer = result.status === 'ok' ? transferablesOf(result) : [];
      post({ id, kind: 'layer', result }, transfer);
      await yieldToEventLoop();
    }
    post({ id, kind: 'progress', done: tensors.length, total: tensors.length, tensor: '', fraction: 1 });
    post({ id, kind: 'done', cancelled: false });
  } catch (error) {
    if (error instanceof AnalysisCancelled) post({ id, kind: 'done', cancelled: true });
    else throw error;
  } finally {
    cancelledByMessage.delete(id);
  }
}

/** The buffers of an ok result that move to the main thread instead of being copied (each listed once). */
function transferablesOf(result: Extract<LayerResult, { status: 'ok' }>): ArrayBuffer[] {
  const buffers = [result.spectrum.singularValues.buffer as ArrayBuffer];
  const randomized = result.randomized?.eigenvaluesAsc.buffer as ArrayBuffer | undefined;
  if (randomized && !buffers.includes(randomized)) buffers.push(randomized);
  return buffers;
}

/** Multiply-adds from which a dense layer's Gram is split across threads, by setting. */
const PARALLEL_GRAM_MIN_FLOPS = { auto: 1e10, always: 0 } as const;

/** The parallel Gram for a scan, when the settings and the browser allow it. */
async function largeGramFor(settings: AnalysisSettings | undefined): Promise<Pick<Parameters<typeof scanTensor>[1], 'largeGram'>> {
  const mode = settings?.parallelGram ?? 'auto';
  if (mode === 'off' || settings?.linalg === 'typescript') return {};
  const parallel = await workerParallelGram(Math.max(1, Math.min(3, (navigator.hardwareConcurrency || 2) - 1)));
  if (!parallel) return {};
  return { largeGram: { minFlops: PARALLEL_GRAM_MIN_FLOPS[mode], compute: (values, rows, cols, shouldCancel) => parallel.gram(values, rows, cols, shouldCancel) } };
}

async function handleVectors(request: Extract<AnalysisRequest, { kind: 'vectors' }>): Promise<void> {
  if (!model) throw Object.assign(new Error('No model is open in the analysis worker.'), { code: 'NO_MODEL' });
  const ref = model.tensors.find((t) => t.name === request.tensor);
  if (!ref) throw Object.assign(new Error(`The open model has no tensor named "${request.tensor}".`), { code: 'NO_SUCH_TENSOR' });
  const result = await tensorVectors(ref, request.k, { linalg: await workerLinalg(request.settings?.linalg === 'typescript'), now: () => performance.now() });
  post({ id: request.id, kind: 'vectors', result }, [result.sigma.buffer as ArrayBuffer, result.u.buffer as ArrayBuffer, result.v.buffer as ArrayBuffer]);
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const request = event.data;
  if (!isAnalysisRequest(request)) return;
  if (request.kind === 'cancel') {
    cancelledByMessage.add(request.target);
    return;
  }
  const run = request.kind === 'open' ? handleOpen(request.id, request.files) : request.kind === 'vectors' ? handleVectors(request) : handleAnalyze(request);
  run.catch((error: unknown) => post({ id: request.id, kind: 'error', error: toSerializedError(error) }));
});
