/**
 * The kernel really is thread-safe: Node worker threads, each with its own instance of one compiled
 * module on one shared memory, compute the parts of a plan at the same time, and the result is
 * bit-for-bit the single-thread one.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { instantiateGramKernel } from './gramKernel';
import { gramWasm, readGram, writeGramInput } from './gramWasm';
import type { GramPlan } from './planGram';
import { planGram } from './planGram';
import { gramKernelBytes } from './testing/gramKernelForTests';
import type { WasmMemory } from './webAssemblyApi';
import { createWasmMemory } from './wasmMemory';

/**
 * Plain-JavaScript worker: the loop of computeGramPart.ts (workers in the app import that module;
 * here the worker cannot load TypeScript). All workers wait on `start` so that they overlap.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, plan, partIndex, start } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const part = plan.parts[partIndex];
const pack = plan.inputType === 'float32' ? k.packF32 : k.packF64;
Atomics.wait(start, 0, 0);
for (let k0 = 0, panel = 0; k0 < plan.depth; k0 += plan.panelDepth, panel++) {
  const kb = Math.min(plan.panelDepth, plan.depth - k0);
  pack(plan.inputOffset, plan.indexStride, plan.depthStride, plan.n, k0, kb, 4 * part.blockStart, plan.paddedOrder, part.packOffset);
  k.gramPanel(part.packOffset, kb, part.blockStart, part.blockEnd, plan.paddedOrder, plan.gramOffset, panel > 0 ? 1 : 0);
}
parentPort.postMessage('done');
`;

async function computeInWorkers(module: WebAssembly.Module, memory: WasmMemory, plan: GramPlan): Promise<void> {
  const start = new Int32Array(new SharedArrayBuffer(4));
  const workers = plan.parts.map(
    (_, partIndex) => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, plan, partIndex, start } }),
  );
  const finished = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      }),
  );
  Atomics.store(start, 0, 1);
  Atomics.notify(start, 0);
  try {
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

describe('gram kernel on worker threads sharing one memory', () => {
  for (const [rows, cols, type] of [[600, 130, 'float32'], [97, 700, 'float64']] as const) {
    it(`matches the single-thread result bit for bit: ${rows}×${cols} ${type}, 3 workers`, async () => {
      const bytes = await gramKernelBytes(true);
      const module = await WebAssembly.compile(bytes);
      const a64 = gaussianMatrix(rows, cols, rows + cols);
      const a = type === 'float32' ? Float32Array.from(a64) : a64;

      const memory = createWasmMemory({ shared: true });
      const plan = planGram(rows, cols, type, { parts: 3, panelDepth: 32 });
      expect(plan.parts).toHaveLength(3);
      writeGramInput(memory, plan, a);
      await computeInWorkers(module, memory, plan);
      const parallel = readGram(memory, plan);

      const single = gramWasm(await instantiateGramKernel(module, createWasmMemory({ shared: true })), a, rows, cols, { panelDepth: 32 });
      expect(parallel).toEqual(single.gram);
    });
  }
});
