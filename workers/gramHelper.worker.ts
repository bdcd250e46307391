/**
 * A Gram helper: computes its part of a large layer's Gram matrix on the WebAssembly memory it shares with
 * the analysis worker that started it (`parallelGram.ts`). Thin: instantiate the kernel once, then run parts.
 */
import type { GramKernel } from '../src/analysis/wasm/gramKernel';
import { instantiateGramKernel } from '../src/analysis/wasm/gramKernel';
import { computeGramPart } from '../src/analysis/wasm/computeGramPart';
import type { GramHelperRequest, GramHelperResponse } from './gramHelperProtocol';

declare const self: DedicatedWorkerGlobalScope;

let kernel: Promise<GramKernel> | null = null;

self.addEventListener('message', (event: MessageEvent<GramHelperRequest>) => {
  const request = event.data;
  if (request.kind === 'init') {
    kernel = instantiateGramKernel(request.module, request.memory);
    return;
  }
  void (async () => {
    let response: GramHelperResponse;
    try {
      if (!kernel) throw new Error('Gram helper used before init');
      const k = await kernel;
      computeGramPart(k, request.plan, request.part, { shouldCancel: () => Atomics.load(request.cancelFlag, 0) !== 0 });
      response = { kind: 'done', id: request.id };
    } catch (error) {
      response = { kind: 'failed', id: request.id, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    self.postMessage(response);
  })();
});
