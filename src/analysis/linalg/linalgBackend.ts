/**
 * Where the heavy linear algebra runs. The plain-TypeScript float64 route is always there; a faster one (the
 * WASM SIMD kernels of src/analysis/wasm) can be passed in by whoever has loaded it (a worker, the CLI).
 * Every backend accumulates in float64: a float32 Gram would be wrong for the tail of the spectrum
 * (COMPUTE.md, "Why float64 matters").
 */
import type { ShouldCancel } from '../cancel';
import type { Gram } from './gram';
import { gramOfSmallerSide } from './gram';

export interface LinalgBackend {
  /** Shown with the results, e.g. `wasm-simd128 f64` or `typescript f64`. */
  readonly name: string;
  /** C = AᵀA or AAᵀ (the smaller), float64, both triangles filled (see `gramOfSmallerSide`). */
  gram(data: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): Gram;
  /** Eigenvalues of a symmetric n×n float64 matrix, ascending; the TS solver when absent. */
  symmetricEigenvalues?(matrix: Float64Array, n: number, shouldCancel?: ShouldCancel): Float64Array;
  /** Called (and awaited) before each layer: lets a backend swap in fresh memory after a very large one. */
  prepare?(): Promise<void>;
}

/** The plain-TypeScript float64 route. */
export const TYPESCRIPT_LINALG: LinalgBackend = { name: 'typescript f64', gram: gramOfSmallerSide };
