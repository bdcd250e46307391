import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { formatNumber } from '../shared/chart';
import type { TruncationGeometry } from './lowRankData';
import { lowRankSummary } from './lowRankData';
import { rankForEnergy } from '../../analysis/checkpoints';

const percent = (v: number) => `${(100 * v).toFixed(v > 0.999 && v < 1 ? 2 : 1)} %`;
const count = (v: number) => (v >= 1e6 ? `${(v / 1e6).toPrecision(3)} M` : v >= 1e4 ? `${(v / 1e3).toPrecision(3)} k` : String(v));

/**
 * Low-rank what-if for one layer (issue 9): choose k, see the energy kept, the truncation's relative error and the
 * parameters / MACs of a rank-k factorisation against the dense layer. Props only; the rank is marked on the spectrum
 * by the caller.
 */
export function LowRankPanel({
  sigma,
  geometry,
  k,
  onK,
  actions,
}: {
  sigma: Float64Array;
  geometry: TruncationGeometry | { reason: string };
  k: number | null;
  onK: (k: number | null) => void;
  /** What the app offers at the chosen k (downloads, the effect on the outputs), rendered below the table. */
  actions?: (k: number) => ReactNode;
}) {
  const rank = sigma.length;
  const summary = useMemo(() => ('reason' in geometry || rank === 0 ? null : lowRankSummary(sigma, geometry, k ?? rankForEnergy(sigma, 0.9))), [sigma, geometry, k, rank]);
  if ('reason' in geometry) {
    return (
      <p className="hint" data-testid="lowrank-unavailable">
        Low-rank what-if: {geometry.reason}.
      </p>
    );
  }
  if (!summary) return null;
  const { cost } = summary;
  const saves = cost.factorParams < cost.denseParams;
  return (
    <section className="plot lowrank" aria-label="Low-rank what-if" data-testid="lowrank" data-k={summary.k}>
      <h3>Low-rank what-if: keep the k largest singular values (Eckart–Young)</h3>
      <div className="lowrank-controls">
        <label>
          k{' '}
          <input type="range" min={1} max={rank} value={summary.k} onChange={(e) => onK(Number(e.target.value))} aria-label="Rank k" data-testid="lowrank-k" />{' '}
          <output>{summary.k}</output> of {rank}
        </label>
        <button type="button" className="button small" onClick={() => onK(summary.k90)} title="The rank that keeps 90 % of Σσ²">
          90 % energy: k = {summary.k90}
        </button>
        <button type="button" className="button small" onClick={() => onK(summary.k99)} title="The rank that keeps 99 % of Σσ²">
          99 %: k = {summary.k99}
        </button>
      </div>
      <table className="lowrank-table">
        <tbody>
          <tr>
            <th scope="row">energy kept (the k largest σ² / Σσ²)</th>
            <td data-testid="lowrank-energy">{percent(summary.energyKept)}</td>
          </tr>
          <tr>
            <th scope="row">relative error ‖W − W_k‖_F / ‖W‖_F</th>
            <td>{formatNumber(summary.relativeError)}</td>
          </tr>
          <tr>
            <th scope="row">parameters: dense → rank k {geometry.spatial ? `(k-channel ${geometry.spatial.kh}×${geometry.spatial.kw} conv + 1×1 conv)` : '(U_k√Σ_k, √Σ_kV_kᵀ)'}</th>
            <td data-testid="lowrank-params">
              {count(cost.denseParams)} → {count(cost.factorParams)} ({saves ? `${percent(1 - cost.ratio)} fewer` : `${percent(cost.ratio - 1)} more: above the break-even rank ${cost.breakEvenRank}`})
            </td>
          </tr>
          <tr>
            <th scope="row">multiply-accumulates per {cost.macsPer}</th>
            <td>
              {count(cost.denseMacs)} → {count(cost.factorMacs)}
            </td>
          </tr>
        </tbody>
      </table>
      {actions?.(summary.k)}
    </section>
  );
}
