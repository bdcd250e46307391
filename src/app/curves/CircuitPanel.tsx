import { useMemo, useState } from 'react';
import { circuitMatrix, orderByOrientation, rankUnits } from '../../analysis/curves';
import type { LayerSweep } from '../../state/slices/curvesSlice';
import { CircuitMatrix } from '../../views/curves/CircuitMatrix';
import { ChartExport } from '../ChartExport';
import { layerCurves } from './curveModel';

/**
 * The Curve Circuits figure for two consecutive conv layers: the kernels from the most orientation-selective channels
 * of the first (columns) into those of the second (rows), each family ordered by preferred orientation.
 */
export function CircuitPanel({ from, to, periodicLines, actions = true }: { from: LayerSweep; to: LayerSweep; periodicLines: boolean; actions?: boolean }) {
  const [size, setSize] = useState(8);
  const circuit = useMemo(() => {
    const a = layerCurves(from, { units: 'channels', scale: 'z' }, periodicLines);
    const b = layerCurves(to, { units: 'channels', scale: 'z' }, periodicLines);
    const kernel = to.kernel;
    if (!a || !b || !kernel || (kernel.layout !== 'OIHW' && kernel.layout !== 'HWIO') || kernel.shape.length !== 4) return null;
    const family = (c: typeof a) =>
      orderByOrientation(
        [...c.tunings],
        rankUnits([...c.tunings], 'selectivity')
          .slice(0, size)
          .map((t) => t.unit),
      );
    const rows = family(b);
    const unit = (c: typeof a, u: number) => ({ id: u, label: c.labels[u] ?? String(u), thetaDeg: c.tunings[u]?.preferredThetaDeg ?? 0 });
    const inChannels = kernel.layout === 'OIHW' ? kernel.shape[1] : kernel.shape[2];
    if (inChannels === 1 && a.count > 1) {
      // Depthwise: unit j sees only channel j of the layer before, so the matrix is diagonal: the same units on both axes.
      const m = circuitMatrix({ kernel: kernel.values, shape: kernel.shape, layout: kernel.layout, rows, cols: rows, depthwise: true });
      return { ...m, depthwise: true, rows: rows.map((u) => unit(b, u)), cols: rows.map((u) => unit(a, u)) };
    }
    if (inChannels !== a.count) return null;
    const cols = family(a);
    const m = circuitMatrix({ kernel: kernel.values, shape: kernel.shape, layout: kernel.layout, rows, cols });
    return { ...m, depthwise: false, rows: rows.map((u) => unit(b, u)), cols: cols.map((u) => unit(a, u)) };
  }, [from, to, periodicLines, size]);
  if (!circuit) return <p className="hint">The circuit view needs the conv kernel of {to.layer} (4-D).</p>;
  return (
    <figure className="plot curve-circuit" data-testid="curve-circuit">
      <figcaption>
        <span>
          Circuit: weights from {from.layer} (columns) into {to.layer} (rows), the {size} most selective channels of each, ordered by preferred θ
        </span>
        <label>
          family{' '}
          <select value={size} onChange={(e) => setSize(Number(e.target.value))} data-testid="circuit-size">
            {[4, 8, 16, 32].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {actions ? <ChartExport name={`${to.layer.replace(/[^\w.-]+/g, '_')}-circuit`} panel="circuit" title={`Circuit into ${to.layer}`} /> : null}
      </figcaption>
      <p className="metric-explanation">
        {circuit.depthwise ? 'A depthwise conv: each unit sees only its own channel of the layer before, so only the diagonal has weights. ' : ''}Each cell is the kernel from one unit to another (red excites, blue inhibits). In a curve circuit, units of similar orientation excite each other along the curve and inhibit
        the opposite orientation.
      </p>
      <CircuitMatrix rows={circuit.rows} cols={circuit.cols} kh={circuit.kh} kw={circuit.kw} cells={circuit.cells} maxAbs={circuit.maxAbs} rowTitle={to.layer} colTitle={from.layer} />
    </figure>
  );
}

