import { formatNumber } from '../../views/shared/chart';

const WIDTH_PX = 260;
const HEIGHT_PX = 64;
const PAD_PX = 4;

/**
 * Each input's relative output change ‖ŷ − y‖/‖y‖, sorted from the largest, as one bar per input (plain SVG: at most
 * a few hundred inputs). An infinite change (y = 0, ŷ ≠ 0) is drawn at the top of the scale and counted in the title.
 */
export function SortedChangeChart({ values }: { values: Float64Array }) {
  const sorted = Array.from(values).sort((a, b) => b - a);
  const finite = sorted.filter(Number.isFinite);
  const top = finite.length > 0 ? Math.max(...finite) : 0;
  const infinite = sorted.length - finite.length;
  const n = sorted.length;
  if (n === 0) return null;
  const barPx = (WIDTH_PX - 2 * PAD_PX) / n;
  const heightOf = (v: number) => (top > 0 ? (HEIGHT_PX - 2 * PAD_PX) * Math.min(1, v / top) : 0);
  return (
    <figure className="output-change-chart">
      <svg width={WIDTH_PX} height={HEIGHT_PX} role="img" aria-label={`Relative output change per input, sorted; largest ${formatNumber(top)}`}>
        <line x1={PAD_PX} x2={WIDTH_PX - PAD_PX} y1={HEIGHT_PX - PAD_PX} y2={HEIGHT_PX - PAD_PX} className="output-change-axis" />
        {sorted.map((v, i) => {
          const h = Number.isFinite(v) ? heightOf(v) : HEIGHT_PX - 2 * PAD_PX;
          return <rect key={i} x={PAD_PX + i * barPx} y={HEIGHT_PX - PAD_PX - h} width={Math.max(barPx - (barPx > 3 ? 1 : 0), 0.5)} height={h} className="output-change-bar" />;
        })}
      </svg>
      <figcaption>
        relative change per input, largest first (0 … {formatNumber(top)})
        {infinite > 0 ? `; ${infinite} input${infinite === 1 ? '' : 's'} with a zero output before (∞)` : ''}
      </figcaption>
    </figure>
  );
}
