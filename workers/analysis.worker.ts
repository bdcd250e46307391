/**
 * The analysis worker: a thin dispatcher over `src/formats` (open), `workers/scanTensor` (spectra) and
 * `workers/diffTensors` (two-model differences). Holds the open model so tensor bytes are read here, lazily, and
 * never cross to the main thread. Models are opened with their LoRA adapters as B·A tensors (src/model/loraModel.ts).
 */
import type { Model } from '../src/model/types';
import { toModelInfo } from '../src/model/types';
import { withLoraAdapters } from '../src/model/loraModel';
import { openModel } from '../src/formats/registry';
import { AnalysisCancelled } from '../src/analysis/cancel';
import { findLoraPairs } from '../src/analysis/checkpoints';
import type { AnalysisRequest, AnalysisResponse, AnalysisSettings, FileEntry, LayerResult } from './protocol';
import { isAnalysisRequest } from './protocol';
import { scanTensor } from './scanTensor';
import { workerLinalg } from './linalg';
import { tensorVectors } from './tensorVectors';
import { workerParallelGram } from './parallelGram';
import { toSerializedError } from './serializeError';
import { exportLowRank } from './exportLowRank';
import type { DiffLayerResult } from './diffTensors';
import { diffModelLayers, diffOpenError, noCommonLayersError, planModelDiff, plannedLayers } from './diffTensors';

declare const self: DedicatedWorkerGlobalScope;

let model: Model | null = null;
/** Requests cancelled by message (the fallback when no shared flag is available). */
const cancelledByMessage = new Set<number>();

function post(message: AnalysisResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Let queued messages (a `cancel`) in between layers. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Open files as a model, LoRA pairs added as B·A tensors. */
async function openFiles(files: readonly FileEntry[]): Promise<Model> {
  const named = files.map((f) => ({ name: f.name, blob: f.blob }));
  return withLoraAdapters(await openModel(named), findLoraPairs, named);
}

async function handleOpen(id: number, files: Extract<AnalysisRequest, { kind: 'open' }>['files']): Promise<void> {
  // The previous model stays open until the new one has opened: a bad file leaves the app as it was.
  const opened = await openFiles(files);
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

/** Open one side of a diff; a failure keeps its code, file and remedy and says which model it was. */
async function openDiffSide(side: 'A' | 'B', files: readonly FileEntry[]): Promise<Model> {
  try {
    return await openFiles(files);
  } catch (error) {
    throw diffOpenError(side, files.map((f) => f.name), error);
  }
}

async function handleDiff(request: Extract<AnalysisRequest, { kind: 'diff' }>): Promise<void> {
  const { id, cancelFlag } = request;
  const shouldCancel = () => (cancelFlag ? Atomics.load(cancelFlag, 0) !== 0 : false) || cancelledByMessage.has(id);
  let a: Model | null = null;
  let b: Model | null = null;
  try {
    a = await openDiffSide('A', request.filesA);
    b = await openDiffSide('B', request.filesB);
    const plan = planModelDiff(a, b, request.tensors ? { tensors: request.tensors } : {});
    const done = (cancelled: boolean) => post({ id, kind: 'diffDone', cancelled, notCompared: plan.notCompared, labels: plan.labels });
    if (plan.pairs.length === 0 && !request.tensors) throw noCommonLayersError(plan, a, b);
    if (request.planOnly) {
      if (shouldCancel()) done(true);
      else post({ id, kind: 'diffPlanned', layers: plannedLayers(plan), notCompared: plan.notCompared, labels: plan.labels });
      return;
    }
    const linalg = await workerLinalg(false);
    const total = plan.pairs.length;
    let current = 0;
    let lastPost = 0;
    try {
      const layers = diffModelLayers(plan, {
        k: request.k ?? 10,
        linalg,
        shouldCancel,
        now: () => performance.now(),
        onLayerStart: (i, n, tensor) => {
          current = i;
          post({ id, kind: 'progress', done: i, total: n, tensor, fraction: 0 });
        },
        onFraction: (fraction) => {
          const t = performance.now();
          if (t - lastPost < 50) return;
          lastPost = t;
          post({ id, kind: 'progress', done: current, total, tensor: plan.pairs[current]?.a.name ?? '', fraction });
        },
      });
      for await (const result of layers) {
        post({ id, kind: 'diffLayer', result }, diffTransferables(result));
        await yieldToEventLoop();
      }
      post({ id, kind: 'progress', done: total, total, tensor: '', fraction: 1 });
      done(false);
    } catch (error) {
      if (error instanceof AnalysisCancelled) done(true);
      else throw error;
    }
  } finally {
    cancelledByMessage.delete(id);
    a?.dispose?.();
    b?.dispose?.();
  }
}

/** The buffers of a diff result that move to the main thread (each is its own buffer: diffTensors `own`). */
function diffTransferables(result: DiffLayerResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const values of [result.deltaSigma, result.angles, result.sigmaA, result.sigmaB]) {
    const buffer = values.buffer as ArrayBuffer;
    if (!buffers.includes(buffer)) buffers.push(buffer);
  }
  return buffers;
}

async function handleExport(request: Extract<AnalysisRequest, { kind: 'exportLowRank' }>): Promise<void> {
  if (!model) throw Object.assign(new Error('No model is open in the analysis worker.'), { code: 'NO_MODEL' });
  const { id, cancelFlag } = request;
  const shouldCancel = () => (cancelFlag ? Atomics.load(cancelFlag, 0) !== 0 : false) || cancelledByMessage.has(id);
  try {
    const result = await exportLowRank(model, request.plan, {
      form: request.form,
      linalg: await workerLinalg(false),
      shouldCancel,
      onProgress: (done, total, tensor) => post({ id, kind: 'progress', done, total, tensor, fraction: 0 }),
      // Each computed tensor leaves the heap as a Blob (the browser may keep it on disk) before the next is made.
      store: (bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>]),
    });
    const blob = new Blob(result.parts as BlobPart[], { type: 'application/octet-stream' });
    post({ id, kind: 'exported', name: result.name, blob, summary: result.summary, notes: result.notes });
  } catch (error) {
    if (error instanceof AnalysisCancelled) post({ id, kind: 'done', cancelled: true });
    else throw error;
  } finally {
    cancelledByMessage.delete(id);
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const request = event.data;
  if (!isAnalysisRequest(request)) return;
  if (request.kind === 'cancel') {
    cancelledByMessage.add(request.target);
    return;
  }
  const run =
    request.kind === 'open'
      ? handleOpen(request.id, request.files)
      : request.kind === 'vectors'
        ? handleVectors(request)
        : request.kind === 'diff'
          ? handleDiff(request)
          : request.kind === 'exportLowRank'
            ? handleExport(request)
            : handleAnalyze(request);
  run.catch((error: unknown) => post({ id: request.id, kind: 'error', error: toSerializedError(error) }));
});
