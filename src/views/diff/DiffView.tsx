import { useCallback, useMemo, useState } from 'react';
import type { AppState } from '../../state/appState';
import type { DiffLayerResult } from '../../state/slices/diffSlice';
import { selectSelectedTensorName } from '../../state/selectors';
import { useHoverChannel } from '../shared/linkedHover';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ViewActions } from '../shared/viewActions';
import type { DeltaSpectrumData } from './deltaSpectrumChart';
import { deltaSpectrumChart } from './deltaSpectrumChart';
import { anglesDegrees, checkpointLabel, diffFileStem, floorPrecision, formatDiffValue, randomCos2, recordNumber } from './diffData';
import type { PrincipalAnglesData } from './principalAnglesChart';
import { principalAnglesChart } from './principalAnglesChart';

const selectDiff = (s: AppState) => s.diff;
const selectCheckpoints = (s: AppState) => s.study.checkpoints;

/** The ΔW charts, each an embed panel of its own. */
export type DiffChartPanel = 'delta-spectrum' | 'principal-angles';

/**
 * One layer's change between checkpoints A and B: σ of ΔW by rank (with W_A's and W_B's top σ, the rounding floor
 * and k@90 %), and the principal angles between the top-k singular subspaces of W_A and W_B. Shows the selected
 * layer (`selection.tensor`); hovering a layer elsewhere (the ΔW table) previews it. Each chart's caption carries
 * the app's `ViewActions` (export, embed).
 *
 * @param panel Show only this chart, filling its parent (an embed); default both, side by side.
 */
export function DiffView({ panel }: { panel?: DiffChartPanel }) {
  const diff = useAppStore(selectDiff);
  const selected = useAppStore(selectSelectedTensorName);
  const checkpoints = useAppStore(selectCheckpoints);
  const [hovered, setHovered] = useState<string | null>(null);
  useHoverChannel(setHovered);
  if (diff.a === null || diff.b === null) return null;
  const preview = hovered !== null && hovered !== selected && diff.results[hovered] !== undefined;
  const layer = preview ? hovered : selected;
  const result = layer !== null ? diff.results[layer] : undefined;
  if (!result) {
    return (
      <p className="hint diff-view-hint" data-testid="diff-view-empty">
        {diff.status === 'running' ? 'Comparing…' : selected !== null ? `${selected} was not compared; click a layer in the table.` : 'Click a layer in the table.'}
      </p>
    );
  }
  const labelOf = (name: string) => {
    const c = checkpoints.find((x) => x.name === name);
    return c ? checkpointLabel(c) : name;
  };
  return <DiffCharts result={result} preview={preview} a={diff.a} b={diff.b} labelA={labelOf(diff.a)} labelB={labelOf(diff.b)} panel={panel} />;
}

/** The two charts of one layer's result (mounted once there is one, so the charts' hosts exist when they are created). */
function DiffCharts({
  result,
  preview,
  a,
  b,
  labelA,
  labelB,
  panel,
}: {
  result: DiffLayerResult;
  preview: boolean;
  a: string;
  b: string;
  labelA: string;
  labelB: string;
  panel: DiffChartPanel | undefined;
}) {
  const store = useAppStoreApi();
  const onHover = useCallback((name: string | null) => store.getState().setHover(name), [store]);
  const spectrum = useMemo<DeltaSpectrumData>(
    () => ({
      layer: result.tensor,
      deltaSigma: result.deltaSigma,
      sigmaA: result.sigmaA,
      sigmaB: result.sigmaB,
      floor: result.floor,
      floorLabel: `${floorPrecision(result)} rounding floor`,
      k90: recordNumber(result.record, 'delta_energy_rank_90'),
      labelDelta: 'ΔW = W_B − W_A',
      labelA: `W_A: ${labelA} (top ${result.sigmaA.length})`,
      labelB: `W_B: ${labelB} (top ${result.sigmaB.length})`,
      onHover,
    }),
    [result, labelA, labelB, onHover],
  );
  const angles = useMemo<PrincipalAnglesData>(
    () => ({ layer: result.tensor, degrees: anglesDegrees(result.angles), randomCos2: randomCos2(result.angles.length, result.rows), onHover }),
    [result, onHover],
  );
  const spectrumHost = useChart(deltaSpectrumChart, spectrum);
  const anglesHost = useChart(principalAnglesChart, angles);
  const layer = result.tensor;
  const record = result.record;
  const value = (key: 'rel_change' | 'delta_stable_rank' | 'delta_energy_rank_90' | 'delta_matrix_rank' | 'subspace_cos2' | 'max_principal_angle_deg') => formatDiffValue(key, recordNumber(record, key));
  const m = Math.min(result.rows, result.cols);
  const k = result.angles.length;
  const stem = `${diffFileStem(a, b)}-${layer.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  const random = randomCos2(k, result.rows);
  // An embed's chart fills the frame (the study page gives each a fixed height).
  const fill = panel !== undefined ? { height: 'auto' } : undefined;
  const spectrumFigure = (
    <figure className="plot diff-spectrum" aria-label="Singular values of the change ΔW">
      <figcaption>
        <span title="σᵢ of ΔW = W_B − W_A against rank i (log scale), with the largest σ of W_A and W_B for scale. Dashed: the rounding floor of the stored weights, max(σ₁(W_A), σ₁(W_B))·max(N, M)·ε; σ of ΔW below it are rounding noise. Shaded: the k@90 % directions holding 90 % of ‖ΔW‖²_F.">
          {layer}
          {preview ? ' (hovered)' : ''}: spectrum of ΔW, {labelA} → {labelB}
        </span>
        <ViewActions panel="delta-spectrum" name={`${stem}-spectrum`} title={`${layer}: spectrum of ΔW, ${labelA} → ${labelB}`} chart />
      </figcaption>
      <p className="diff-stats">
        ‖ΔW‖/‖W_A‖ = {value('rel_change')} · stable rank {value('delta_stable_rank')} · k@90 % = {value('delta_energy_rank_90')} of {m} · rank above the floor {value('delta_matrix_rank')} of {m}
      </p>
      <div ref={spectrumHost} className="view view-delta-spectrum" style={fill} data-testid="diff-spectrum" data-ready="true" />
    </figure>
  );
  const anglesFigure = (
    <figure className="plot diff-angles" aria-label="Principal angles between the top singular subspaces of W_A and W_B">
      <figcaption>
        <span title="Principal angles between the top-k left singular subspaces (column spaces) of W_A and W_B, smallest first. 0° = a direction both share; 90° = one orthogonal to all of the other’s. Dashed: the mean that random k-dimensional subspaces of ℝᴺ would have (cos² = k/N).">
          {panel !== undefined ? `${layer}: top-${k}` : `Top-${k}`} subspaces: principal angles
        </span>
        <ViewActions panel="principal-angles" name={`${stem}-angles`} title={`${layer}: principal angles between the top-${k} singular subspaces, ${labelA} → ${labelB}`} chart />
      </figcaption>
      <p className="diff-stats">
        mean cos² = {value('subspace_cos2')} (random ≈ {Number.isFinite(random) ? random.toFixed(3) : '—'}) · largest {value('max_principal_angle_deg')}
      </p>
      <div ref={anglesHost} className="view view-principal-angles" style={fill} data-testid="diff-angles" data-ready="true" />
    </figure>
  );
  if (panel === 'delta-spectrum') return spectrumFigure;
  if (panel === 'principal-angles') return anglesFigure;
  return (
    <div className="diff-view" data-testid="diff-view" data-layer-shown={layer} data-preview={preview ? 'true' : 'false'}>
      {spectrumFigure}
      {anglesFigure}
    </div>
  );
}
