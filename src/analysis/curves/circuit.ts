/**
 * Curve circuits (Cammarata et al., "Curve Circuits", Distill 2021): the conv weights from the curve units of one
 * layer (inputs) to those of the next (outputs), as a grid of small kh × kw spatial kernels, rows = output units and
 * columns = input units, both usually ordered by preferred orientation. Positive weights excite, negative inhibit;
 * one shared `maxAbs` gives a symmetric colour scale across the grid.
 *
 * Kernel layouts: 'OIHW' (ONNX / PyTorch, [c_out, c_in, kh, kw]) and 'HWIO' (TF / Keras, [kh, kw, c_in, c_out]).
 * Cell (i, j) holds W[rows[i], cols[j], y, x] for y < kh, x < kw, in image orientation (y down).
 */
import type { UnitTuning } from './types';

/** The weights between chosen output and input units (see {@link circuitMatrix}). */
export interface CircuitMatrix {
  readonly kh: number;
  readonly kw: number;
  /** rows × cols × kh × kw row-major: cell (i, j) pixel (y, x) at ((i·cols + j)·kh + y)·kw + x. */
  readonly cells: Float32Array;
  /** max |w| over the cells (0 when empty), for a symmetric colour scale. */
  readonly maxAbs: number;
}

/**
 * Gather the kh × kw kernels from input channels `cols` to output channels `rows` of a conv kernel.
 * @param kernel The kernel's values, row-major in `layout` order.
 * @param shape Its 4 dimensions in that order.
 * @param depthwise A depthwise conv (its input dimension is 1): output unit o sees only input channel o, so cell
 *   (o, i) is o's kernel when i = o and 0 otherwise; `cols` then index the channels of the layer before.
 * @throws RangeError for a shape that is not 4 positive integers, a kernel of the wrong length, an unknown layout,
 *   or a row / column index that is not an integer in range.
 */
export function circuitMatrix(options: {
  readonly kernel: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly layout: 'OIHW' | 'HWIO';
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly depthwise?: boolean;
}): CircuitMatrix {
  const { kernel, shape, layout, rows, cols, depthwise = false } = options;
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`circuitMatrix: shape must be 4 positive integers, got [${shape.join(', ')}]`);
  }
  if (layout !== 'OIHW' && layout !== 'HWIO') throw new RangeError(`circuitMatrix: unknown layout '${String(layout)}'`);
  const [d0, d1, d2, d3] = shape as [number, number, number, number];
  const [cOut, cIn, kh, kw] = layout === 'OIHW' ? [d0, d1, d2, d3] : [d3, d2, d0, d1];
  if (kernel.length !== d0 * d1 * d2 * d3) throw new RangeError(`circuitMatrix: kernel has ${kernel.length} values, shape [${shape.join(', ')}] needs ${d0 * d1 * d2 * d3}`);
  const check = (list: readonly number[], limit: number, what: string): void => {
    for (const k of list) if (!Number.isInteger(k) || k < 0 || k >= limit) throw new RangeError(`circuitMatrix: ${what} ${k} out of range [0, ${limit})`);
  };
  check(rows, cOut, 'output unit');
  if (depthwise && cIn !== 1) throw new RangeError(`circuitMatrix: a depthwise kernel has input dimension 1, got ${cIn}`);
  check(cols, depthwise ? cOut : cIn, 'input unit');
  const area = kh * kw;
  const cells = new Float32Array(rows.length * cols.length * area);
  let maxAbs = 0;
  let at = 0;
  for (const o of rows) {
    for (const c of cols) {
      // Depthwise: only the unit's own channel has weights, read from input index 0.
      const connected = !depthwise || c === o;
      const i = depthwise ? 0 : c;
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const index = layout === 'OIHW' ? ((o * cIn + i) * kh + y) * kw + x : ((y * kw + x) * cIn + i) * cOut + o;
          const w = connected ? (kernel[index] as number) : 0;
          cells[at++] = w;
          if (Math.abs(w) > maxAbs) maxAbs = Math.abs(w);
        }
      }
    }
  }
  return { kh, kw, cells, maxAbs };
}

/**
 * `units` sorted by their preferred θ (ascending, [0, 360)); equal θ keep the given order.
 * @throws RangeError when a unit has no tuning in `tunings` (matched by `UnitTuning.unit`).
 */
export function orderByOrientation(tunings: readonly UnitTuning[], units: readonly number[]): number[] {
  const byUnit = new Map<number, UnitTuning>();
  for (const t of tunings) byUnit.set(t.unit, t);
  const keyed = units.map((u, i) => {
    const t = byUnit.get(u);
    if (!t) throw new RangeError(`orderByOrientation: no tuning for unit ${u}`);
    return { u, i, theta: t.preferredThetaDeg };
  });
  keyed.sort((a, b) => a.theta - b.theta || a.i - b.i);
  return keyed.map((k) => k.u);
}
