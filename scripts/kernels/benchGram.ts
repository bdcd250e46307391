/**
 * Timings of the WASM Gram kernel in Node, against the plain-TypeScript reference (src/analysis/linalg/gram.ts).
 *
 *   npx tsx scripts/kernels/benchGram.ts            all shapes, 1 and 2 threads
 *   npx tsx scripts/kernels/benchGram.ts --quick    skip the 50257×768 shapes
 *
 * Builds the kernel first if needed. Each case runs a few warm-up calls (so V8 tiers the wasm up from
 * Liftoff to TurboFan) and reports the best and the median of the timed runs. "kernel" is the packing
 * and tile work only (`computeGramPart`); "total" adds copying A in and mirroring C out (`gramWasm`).
 * Threads are Node worker threads, each with its own instance on one shared memory, as the app's pool.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gramOfSmallerSide } from '../../src/analysis/linalg/gram';
import { gaussianMatrix } from '../../src/analysis/testing/exactSvdMatrix';
import { computeGramPart } from '../../src/analysis/wasm/computeGramPart';
import type { GramKernel } from '../../src/analysis/wasm/gramKernel';
import { instantiateGramKernel } from '../../src/analysis/wasm/gramKernel';
import { gramWasm, writeGramInput } from '../../src/analysis/wasm/gramWasm';
import type { GramPlan } from '../../src/analysis/wasm/planGram';
import { planGram } from '../../src/analysis/wasm/planGram';
import { gramKernelBytes } from '../../src/analysis/wasm/testing/gramKernelForTests';
import type { WasmMemory } from '../../src/analysis/wasm/webAssemblyApi';
import { createWasmMemory } from '../../src/analysis/wasm/wasmMemory';

interface WorkerJob {
  readonly module: WebAssembly.Module;
  readonly memory: WasmMemory;
}
type WorkerRequest = { readonly plan: GramPlan; readonly partIndex: number };

if (!isMainThread) {
  // Worker side: one kernel instance on the shared memory; computes the parts it is sent.
  const { module, memory } = workerData as WorkerJob;
  const kernel = await instantiateGramKernel(module, memory);
  parentPort?.on('message', ({ plan, partIndex }: WorkerRequest) => {
    computeGramPart(kernel, plan, partIndex);
    parentPort?.postMessage('done');
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const module = await WebAssembly.compile(await gramKernelBytes(true));
  const memory = createWasmMemory({ shared: true });
  const kernel = await instantiateGramKernel(module, memory);
  // Worker threads do not inherit tsx's loader: register it in the worker, then load this file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const workers = [0, 1].map(() => new Worker(bootstrap, { eval: true, workerData: { module, memory } satisfies WorkerJob }));

  const cases: [number, number, 'float32' | 'float64'][] = [
    [3072, 768, 'float32'],
    [768, 3072, 'float32'],
    [3072, 768, 'float64'],
    [768, 3072, 'float64'],
    ...(quick ? [] : ([[50257, 768, 'float32'], [50257, 768, 'float64']] as [number, number, 'float32' | 'float64'][])),
  ];
  console.log('shape            type     threads  kernel best / median   total best   GFLOP/s (n²·k / kernel best)');
  for (const [rows, cols, type] of cases) {
    const a64 = gaussianMatrix(rows, cols, 1);
    const a = type === 'float32' ? Float32Array.from(a64) : a64;
    const big = rows * cols > 10_000_000;
    const runs = big ? 3 : 7;
    const n = Math.min(rows, cols);
    const flops = n * n * Math.max(rows, cols);
    for (const threads of [1, 2]) {
      const plan = planGram(rows, cols, type, { parts: threads });
      writeGramInput(memory, plan, a);
      const kernelMs = await timeRuns(runs, big ? 1 : 3, () => runParts(kernel, workers, plan));
      const totalMs = threads === 1 ? await timeRuns(big ? 1 : 3, 1, async () => void gramWasm(kernel, a, rows, cols)) : [];
      const total = totalMs.length > 0 ? `${fmt(Math.min(...totalMs))}` : '—';
      console.log(
        `${`${rows}×${cols}`.padEnd(16)} ${type.padEnd(8)} ${String(threads).padStart(7)}  ${fmt(Math.min(...kernelMs)).padStart(9)} / ${fmt(median(kernelMs)).padEnd(9)} ${total.padStart(10)}   ${(flops / Math.min(...kernelMs) / 1e6).toFixed(1)}`,
      );
    }
  }

  // The plain-TypeScript reference, and the accuracy of the kernel against it and against exact sums.
  for (const type of ['float32', 'float64'] as const) {
    const a64 = gaussianMatrix(3072, 768, 1);
    const a = type === 'float32' ? Float32Array.from(a64) : a64;
    const started = performance.now();
    const want = gramOfSmallerSide(a, 3072, 768);
    const tsMs = performance.now() - started;
    const got = gramWasm(kernel, a, 3072, 768);
    let differing = 0;
    for (let i = 0; i < got.gram.length; i++) if (got.gram[i] !== want.gram[i]) differing++;
    console.log(
      `3072×768 ${type}: plain TS gram.ts ${fmt(tsMs)} (1 run); WASM entries differing from it: ${differing} of ${got.gram.length}; ` +
        `max |C_ij − exact|/√(C_ii·C_jj) over 3000 entries = ${sampledError(a, 3072, 768, got.gram).toExponential(2)}`,
    );
  }
  await Promise.all(workers.map((w) => w.terminate()));
}

/** Run every part of `plan`: on this thread when there is one, else one part per worker. */
async function runParts(kernel: GramKernel, workers: Worker[], plan: GramPlan): Promise<void> {
  if (plan.parts.length === 1) {
    computeGramPart(kernel, plan, 0);
    return;
  }
  await Promise.all(
    plan.parts.map(
      (_, partIndex) =>
        new Promise<void>((resolve) => {
          const worker = workers[partIndex] as Worker;
          worker.once('message', () => resolve());
          worker.postMessage({ plan, partIndex } satisfies WorkerRequest);
        }),
    ),
  );
}

async function timeRuns(runs: number, warmUps: number, run: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmUps; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/**
 * Largest |C_ij − exact_ij| / √(C_ii·C_jj) over 3000 seeded entries of AᵀA, the exact inner products
 * accumulated in double-double (Dekker's TwoProduct with Veltkamp splitting, Knuth's TwoSum).
 */
function sampledError(a: Float32Array | Float64Array, rows: number, cols: number, gram: Float64Array): number {
  const split = (x: number): [number, number] => {
    const t = 134217729 * x; // 2^27 + 1
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  let worst = 0;
  let state = 12345;
  for (let s = 0; s < 3000; s++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const i = state % cols;
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % cols;
    let hi = 0;
    let lo = 0;
    for (let k = 0; k < rows; k++) {
      const x = a[k * cols + i] as number;
      const y = a[k * cols + j] as number;
      const p = x * y;
      const [xh, xl] = split(x);
      const [yh, yl] = split(y);
      const pe = xh * yh - p + xh * yl + xl * yh + xl * yl;
      const sum = hi + p;
      const bv = sum - hi;
      const se = hi - (sum - bv) + (p - bv);
      hi = sum;
      lo += se + pe;
    }
    const exact = hi + lo;
    const scale = Math.sqrt((gram[i * cols + i] as number) * (gram[j * cols + j] as number));
    worst = Math.max(worst, Math.abs((gram[i * cols + j] as number) - exact) / scale);
  }
  return worst;
}
