import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import { selectModelInfo, selectResults, selectSelectedTensorName } from '../../state/selectors';
import { openFromScan } from '../shared/linkedHover';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import type { LowRankLayerInput } from './modelLowRank';
import { modelLowRank } from './modelLowRank';

const count = (v: number) => (v >= 1e9 ? `${(v / 1e9).toPrecision(3)} G` : v >= 1e6 ? `${(v / 1e6).toPrecision(3)} M` : v >= 1e4 ? `${(v / 1e3).toPrecision(3)} k` : String(v));
const percent = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * The whole model's low-rank what-if (issue 9): per layer the ranks keeping 90 % and 99 % of its energy and the
 * parameters of rank-k factorisations at those ranks, and the model's totals. `actions` (from the app) offers the
 * truncated model as a download.
 */
export function ModelLowRankView({ actions }: { actions?: ReactNode }) {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const store = useAppStoreApi();
  const model = useMemo(() => {
    if (!info) return null;
    const layers: LowRankLayerInput[] = info.tensors.flatMap((t) => {
      const r = results[t.name];
      if (notAnalysedReason(t) !== null || r?.status !== 'ok' || t.lowRank) return [];
      return [{ name: t.name, shape: t.shape, ...(t.layout ? { layout: t.layout } : {}), spectrum: r.spectrum }];
    });
    return modelLowRank(layers);
  }, [info, results]);
  if (!model || (model.rows.length === 0 && model.skipped.length === 0)) return null;
  const { totals90, totals99 } = model;
  return (
    <section className="plot lowrank model-lowrank" aria-label="Low-rank what-if for the whole model" data-testid="model-lowrank">
      <h3>
        Low-rank what-if, whole model: {model.rows.length} layers factorised as U_k√Σ_k · √Σ_kV_kᵀ at the rank keeping 90 % / 99 % of each layer’s energy
      </h3>
      <table className="lowrank-table model-lowrank-table">
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">matrix</th>
            <th scope="col">k90 / k99 of rank</th>
            <th scope="col">parameters dense</th>
            <th scope="col">at k90</th>
            <th scope="col">at k99</th>
          </tr>
        </thead>
        <tbody>
          {model.rows.map((r) => (
            <tr key={r.name} className={r.name === selected ? 'selected' : undefined} data-layer={r.name}>
              <td>
                <button type="button" className="link-button" onClick={() => openFromScan(store, r.name)}>
                  {r.name}
                </button>
              </td>
              <td>
                {r.geometry.spatial ? `${r.geometry.rows}×${r.geometry.cols}·${r.geometry.spatial.kh}×${r.geometry.spatial.kw}` : `${r.geometry.rows}×${r.geometry.cols}`}
              </td>
              <td>
                {r.k90} / {r.k99} of {r.rank}
              </td>
              <td>{count(r.at90.denseParams)}</td>
              <td className={r.at90.ratio >= 1 ? 'lowrank-larger' : undefined} title={r.at90.ratio >= 1 ? `above the break-even rank ${r.at90.breakEvenRank}: kept dense in the totals` : undefined}>
                {count(r.at90.factorParams)} ({percent(r.at90.ratio)})
              </td>
              <td className={r.at99.ratio >= 1 ? 'lowrank-larger' : undefined} title={r.at99.ratio >= 1 ? `above the break-even rank ${r.at99.breakEvenRank}: kept dense in the totals` : undefined}>
                {count(r.at99.factorParams)} ({percent(r.at99.ratio)})
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="model-lowrank-total">
            <th scope="row" colSpan={3}>
              whole model (layers whose factors would be larger stay dense: {totals90.keptDense} at k90, {totals99.keptDense} at k99)
            </th>
            <td>{count(totals90.denseParams)}</td>
            <td data-ratio={String(totals90.ratio)}>
              {count(totals90.factorParams)} ({percent(totals90.ratio)})
            </td>
            <td data-ratio={String(totals99.ratio)}>
              {count(totals99.factorParams)} ({percent(totals99.ratio)})
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              multiply-adds {totals90.macsComplete ? 'per input (dense layers: per input vector)' : 'per input vector (dense) and per output position (conv): the conv output sizes are not in the file'}
            </th>
            <td>{count(totals90.denseMacs)}</td>
            <td>
              {count(totals90.factorMacs)} ({percent(totals90.macRatio)})
            </td>
            <td>
              {count(totals99.factorMacs)} ({percent(totals99.macRatio)})
            </td>
          </tr>
        </tfoot>
      </table>
      {model.skipped.length > 0 ? (
        <p className="hint">
          Not in the totals: {model.skipped.map((s) => s.name).join(', ')} — {model.skipped[0]?.reason}.
        </p>
      ) : null}
      {actions}
    </section>
  );
}
