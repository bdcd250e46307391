/**
 * One large layer's Gram matrix split across threads that share one WebAssembly memory: this worker writes A
 * into the shared memory, its helpers (`gramHelper.worker.ts`) and this worker each compute a balanced block of
 * rows of C with the same SIMD kernel, and C is read back. The result is bit-for-bit the single-thread one
 * (every tile is summed in the same order). Needs cross-origin isolation (shared memory); `null` without it.
 */
import gramSharedUrl from '../src/analysis/wasm/generated/gram.shared.wasm?url';
import type { Gram } from '../src/analysis/linalg/gram';
import type { ShouldCancel } from '../src/analysis/cancel';
import { AnalysisCancelled } from '../src/analysis/cancel';
import { computeGramPart } from '../src/analysis/wasm/computeGramPart';
import type { GramKernel } from '../src/analysis/wasm/gramKernel';
import { instantiateGramKernel } from '../src/analysis/wasm/gramKernel';
import { inputTypeOf, readGram, writeGramInput } from '../src/analysis/wasm/gramWasm';
import { planGram } from '../src/analysis/wasm/planGram';
import { createWasmMemory } from '../src/analysis/wasm/wasmMemory';
import { KEEP_MEMORY_BYTES } from '../src/analysis/wasm/wasmLinalg';
import type { GramHelperRequest, GramHelperResponse } from './gramHelperProtocol';

/** Computes Grams with `helpers + 1` threads. */
export interface ParallelGram {
  readonly threads: number;
  gram(values: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): Promise<Gram>;
}

let shared: Promise<ParallelGram | null> | null = null;

/** This worker's parallel Gram, with `helpers` helper threads, started on first use; null without isolation. */
export function workerParallelGram(helpers: number): Promise<ParallelGram | null> {
  shared ??= start(helpers).catch((error: unknown) => {
    console.warn('Parallel Gram unavailable; large layers use one thread.', error);
    return null;
  });
  return shared;
}

async function start(helperCount: number): Promise<ParallelGram | null> {
  if (!globalThis.crossOriginIsolated || helperCount < 1) return null;
  const module = await WebAssembly.compile(await (await fetch(gramSharedUrl)).arrayBuffer());
  const memory = createWasmMemory({ shared: true }) as unknown as WebAssembly.Memory;
  const kernel: GramKernel = await instantiateGramKernel(module, memory);
  const helpers = Array.from({ length: helperCount }, () => {
    const worker = new Worker(new URL('./gramHelper.worker.ts', import.meta.url), { type: 'module', name: 'gram-helper' });
    worker.postMessage({ kind: 'init', module, memory } satisfies GramHelperRequest);
    return worker;
  });
  let nextId = 1;
  const runPart = (worker: Worker, request: Omit<Extract<GramHelperRequest, { kind: 'part' }>, 'id'>) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (event: MessageEvent<GramHelperResponse>) => {
        if (event.data.id !== id) return;
        worker.removeEventListener('message', onMessage);
        if (event.data.kind === 'done') resolve();
        else reject(new Error(event.data.message));
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage({ ...request, id } satisfies GramHelperRequest);
    });
  // One job at a time: the layout starts at offset 0 of the shared memory.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    threads: helperCount + 1,
    gram(values, rows, cols, shouldCancel) {
      const job = queue.then(async () => {
        const plan = planGram(rows, cols, inputTypeOf(values), { parts: helperCount + 1 });
        writeGramInput(kernel.memory, plan, values);
        const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
        const cancelled = () => {
          const yes = shouldCancel?.() ?? false;
          if (yes) Atomics.store(cancelFlag, 0, 1);
          return yes;
        };
        const others = plan.parts.slice(1).map((_, i) => runPart(helpers[i] as Worker, { kind: 'part', plan, part: i + 1, cancelFlag }));
        try {
          if (plan.parts.length > 0) computeGramPart(kernel, plan, 0, { shouldCancel: cancelled });
          await Promise.all(others);
        } catch (error) {
          Atomics.store(cancelFlag, 0, 1);
          await Promise.allSettled(others);
          if (error instanceof AnalysisCancelled || shouldCancel?.()) throw new AnalysisCancelled();
          throw error;
        }
        if (Atomics.load(cancelFlag, 0) !== 0) throw new AnalysisCancelled();
        const result = { gram: readGram(kernel.memory, plan), n: plan.n };
        // Shared memory never shrinks: after a very large layer, retire these threads and their memory; the
        // next large layer starts fresh ones (~0.1 s).
        if (kernel.memory.buffer.byteLength > KEEP_MEMORY_BYTES) {
          for (const h of helpers) h.terminate();
          shared = null;
        }
        return result;
      });
      queue = job.catch(() => undefined);
      return job;
    },
  };
}
