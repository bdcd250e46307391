/**
 * A layer's output activation read in its singular directions, aggregated over positions (SCIENCE.md §3;
 * DeepDataProfiler v2.0.1 `SVDProfiler.create_influential`):
 *   P = Uᵀ·(A − b·1ᵀ)            (rank × positions)
 *   aggregate_k = mean_p P[k, p]  ('mean', DDP's default, its `aggregation="sum"` divided by positions)
 *              or max_p P[k, p]   ('max', DDP's `aggregation="max"`).
 * A is c_out × positions (a conv output's spatial grid flattened, or positions = 1 for a dense layer), b the
 * layer's bias. 'max' is the maximum of the *signed* projection, as DDP's `torch.max(uprojy, dim=1)`: a
 * direction whose projection is strongly negative everywhere gets a small (or negative) aggregate, not a
 * large one. The influence step (`influentialDirections`) then ranks |aggregate|.
 *
 * Cost per input: 'mean' uses linearity, Uᵀ·(mean_p A − b), so O(c_out·positions + rank·c_out);
 * 'max' forms the rows of P four at a time in one reused buffer, O(rank·c_out·positions). No allocation
 * per position.
 * NaN in A or b propagates into the aggregate (and `influentialDirections` then rejects it).
 */
import type { SvdNeurons } from './svdNeurons';

/** How the projection of each direction is summarised over positions. */
export type AggregationMode = 'mean' | 'max';

/**
 * Per-direction aggregate of the projected activation of one input.
 *
 * @param neurons The layer's SVD neurons (U is c_out × rank).
 * @param activation A, c_out × positions row-major (c_out = `neurons.rows`), e.g. an NCHW output with the
 *   batch index dropped, H·W = positions.
 * @param positions Number of positions (≥ 1).
 * @param bias b, length c_out, subtracted from every position; `null` for a layer without bias.
 * @param mode 'mean' over positions, or 'max' of the signed projection.
 * @returns Float64Array of length rank: the aggregate of direction k at index k.
 * @throws RangeError for positions < 1 or lengths that do not match.
 */
export function projectAggregate(
  neurons: SvdNeurons,
  activation: ArrayLike<number>,
  positions: number,
  bias: ArrayLike<number> | null,
  mode: AggregationMode,
): Float64Array {
  return projectAggregateBatch(neurons, activation, 1, positions, bias, mode);
}

/**
 * `projectAggregate` for N inputs at once, with the scratch buffers shared.
 *
 * @param activations N × c_out × positions row-major (input i's A starts at i·c_out·positions).
 * @param n Number of inputs N (≥ 0).
 * @returns N × rank row-major float64: row i is input i's aggregate.
 * @throws RangeError for positions < 1, a bad n, or lengths that do not match.
 */
export function projectAggregateBatch(
  neurons: SvdNeurons,
  activations: ArrayLike<number>,
  n: number,
  positions: number,
  bias: ArrayLike<number> | null,
  mode: AggregationMode,
): Float64Array {
  const { rows, rank, U } = neurons;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`projectAggregate: bad input count ${n}`);
  if (!Number.isInteger(positions) || positions < 1) throw new RangeError(`projectAggregate: positions must be an integer ≥ 1, got ${positions}`);
  if (U.length !== rows * rank) throw new RangeError(`projectAggregate: U has ${U.length} values, ${rows}×${rank} needs ${rows * rank}`);
  const size = rows * positions;
  if (activations.length !== n * size) {
    throw new RangeError(`projectAggregate: ${activations.length} activation values, ${n} × ${rows} channels × ${positions} positions needs ${n * size}`);
  }
  if (bias !== null && bias.length !== rows) throw new RangeError(`projectAggregate: bias has ${bias.length} values, c_out is ${rows}`);
  if (mode !== 'mean' && mode !== 'max') throw new RangeError(`projectAggregate: unknown aggregation '${String(mode)}'`);

  const out = new Float64Array(n * rank);
  if (mode === 'mean') {
    const centred = new Float64Array(rows); // mean_p A[o, p] − b[o]
    for (let i = 0; i < n; i++) {
      const base = i * size;
      for (let o = 0; o < rows; o++) {
        const row = base + o * positions;
        let s = 0;
        for (let p = 0; p < positions; p++) s += activations[row + p] as number;
        centred[o] = s / positions - (bias === null ? 0 : (bias[o] as number));
      }
      const dst = i * rank;
      for (let o = 0; o < rows; o++) {
        const c = centred[o] as number;
        const u = o * rank;
        for (let k = 0; k < rank; k++) out[dst + k] = (out[dst + k] as number) + (U[u + k] as number) * c;
      }
    }
    return out;
  }

  // 'max': rows k of Uᵀ·A, four directions at a time (each activation value is loaded once per block) in
  // `lines`; then each row's maximum minus (Uᵀb)_k (the bias term is constant over positions).
  const lines = new Float64Array(4 * positions);
  const projectedBias = new Float64Array(rank);
  if (bias !== null) {
    for (let o = 0; o < rows; o++) {
      const b = bias[o] as number;
      for (let k = 0; k < rank; k++) projectedBias[k] = (projectedBias[k] as number) + (U[o * rank + k] as number) * b;
    }
  }
  const p1 = positions;
  const p2 = 2 * positions;
  const p3 = 3 * positions;
  for (let i = 0; i < n; i++) {
    const base = i * size;
    for (let k0 = 0; k0 < rank; k0 += 4) {
      const block = Math.min(4, rank - k0);
      lines.fill(0);
      for (let o = 0; o < rows; o++) {
        // Directions past the end of U get u = 0; their lines are never read.
        const at = o * rank + k0;
        const u0 = U[at] as number;
        const u1 = block > 1 ? (U[at + 1] as number) : 0;
        const u2 = block > 2 ? (U[at + 2] as number) : 0;
        const u3 = block > 3 ? (U[at + 3] as number) : 0;
        const row = base + o * positions;
        for (let p = 0; p < positions; p++) {
          const a = activations[row + p] as number;
          lines[p] = (lines[p] as number) + u0 * a;
          lines[p1 + p] = (lines[p1 + p] as number) + u1 * a;
          lines[p2 + p] = (lines[p2 + p] as number) + u2 * a;
          lines[p3 + p] = (lines[p3 + p] as number) + u3 * a;
        }
      }
      for (let j = 0; j < block; j++) {
        let best = -Infinity;
        for (let p = j * positions, end = p + positions; p < end; p++) {
          const v = lines[p] as number;
          if (v > best) best = v;
          else if (Number.isNaN(v)) best = NaN; // sticky: `v > NaN` is false from here on
        }
        out[i * rank + k0 + j] = best - (projectedBias[k0 + j] as number);
      }
    }
  }
  return out;
}
