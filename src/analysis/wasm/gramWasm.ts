/**
 * The Gram matrix of the smaller side on the WASM SIMD kernel, in float64 (kernels/gram.ts for the
 * method, scripts/kernels/benchGram.ts for timings). At the default panel depth (64) it sums in the
 * same order as the plain-TypeScript `gramOfSmallerSide` (src/analysis/linalg/gram.ts: panels of 64,
 * 4×4 blocks, separate multiply and add), so the two agree bit for bit; other depths agree to rounding.
 *
 * Three steps, which a worker pool runs separately:
 *   1. `writeGramInput(memory, plan, values)`   one thread: grows the memory, copies A in
 *   2. `computeGramPart(kernel, plan, p)`        every worker p, at once, on its own kernel instance
 *   3. `readGram(memory, plan)`                  one thread, after all parts finished: mirrors C
 * `gramWasm` does all three on the calling thread.
 */
import type { ShouldCancel } from '../cancel';
import type { Gram } from '../linalg/gram';
import { computeGramPart } from './computeGramPart';
import type { GramKernel } from './gramKernel';
import type { GramInputType, GramPlan } from './planGram';
import { planGram } from './planGram';
import type { WasmMemory } from './webAssemblyApi';
import { ensureMemoryBytes } from './wasmMemory';

export interface GramWasmOptions {
  /**
   * Split the rows into this many balanced parts, computed one after another here (default 1). The
   * result does not depend on it; it exists to exercise the split a worker pool uses.
   */
  readonly parts?: number;
  /** Depth of one panel (default `DEFAULT_PANEL_DEPTH`). */
  readonly panelDepth?: number;
  /** Where the layout starts in the kernel's memory (default 0). */
  readonly baseOffset?: number;
  /** Polled every panel (a few milliseconds); throws `AnalysisCancelled` when it returns true. */
  readonly shouldCancel?: ShouldCancel;
}

/**
 * Gram matrix of the smaller side: C = AᵀA (n = cols) when rows ≥ cols, else C = AAᵀ (n = rows),
 * accumulated in float64 (float32 input widened exactly, float64 input kept as is).
 *
 * @param kernel From `instantiateGramKernel` (shared or unshared build).
 * @param values A as rows×cols, row-major, float32 or float64. Not modified.
 * @returns `{ gram, n }`: C as n×n row-major float64, both triangles filled (exactly symmetric).
 * @throws RangeError on a bad shape or length; WasmKernelError('WASM_OUT_OF_MEMORY') when A does not fit;
 *   `AnalysisCancelled` when `shouldCancel` returns true.
 */
export function gramWasm(kernel: GramKernel, values: Float32Array | Float64Array, rows: number, cols: number, options: GramWasmOptions = {}): Gram {
  const plan = planGram(rows, cols, inputTypeOf(values), options);
  if (values.length !== rows * cols) {
    throw new RangeError(`gramWasm: data has ${values.length} values, shape ${rows}×${cols} needs ${rows * cols}`);
  }
  if (plan.n === 0) return { gram: new Float64Array(0), n: 0 };
  writeGramInput(kernel.memory, plan, values);
  for (let p = 0; p < plan.parts.length; p++) computeGramPart(kernel, plan, p, { shouldCancel: options.shouldCancel });
  return { gram: readGram(kernel.memory, plan), n: plan.n };
}

/** 'float32' for a Float32Array, 'float64' for a Float64Array. */
export function inputTypeOf(values: Float32Array | Float64Array): GramInputType {
  return values instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * Grow `memory` to the plan's size and copy A into its input region.
 * @throws RangeError if `values` does not match the plan's shape and type; WasmKernelError('WASM_OUT_OF_MEMORY').
 */
export function writeGramInput(memory: WasmMemory, plan: GramPlan, values: Float32Array | Float64Array): void {
  if (values.length !== plan.rows * plan.cols || inputTypeOf(values) !== plan.inputType) {
    throw new RangeError(`writeGramInput: got ${values.length} ${inputTypeOf(values)} values for a ${plan.rows}×${plan.cols} ${plan.inputType} plan`);
  }
  ensureMemoryBytes(memory, plan.byteLength);
  if (values instanceof Float32Array) new Float32Array(memory.buffer, plan.inputOffset, values.length).set(values);
  else new Float64Array(memory.buffer, plan.inputOffset, values.length).set(values);
}

/** C as a new n×n float64 array: the upper triangle computed by the parts, mirrored into the lower one. */
export function readGram(memory: WasmMemory, plan: GramPlan): Float64Array {
  const { n, paddedOrder } = plan;
  const padded = new Float64Array(memory.buffer, plan.gramOffset, paddedOrder * paddedOrder);
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * paddedOrder;
    for (let j = i; j < n; j++) {
      const v = padded[row + j] as number;
      gram[i * n + j] = v;
      gram[j * n + i] = v;
    }
  }
  return gram;
}
