import { useCallback, useMemo, useState } from 'react';
import type { AppState } from '../../state/appState';
import { selectModelInfo, selectSelectedTensorName } from '../../state/selectors';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { RadialTuning } from '../../views/curves/RadialTuning';
import { OrientationCurvatureHeatmap } from '../../views/curves/OrientationCurvatureHeatmap';
import { UnitRankingTable } from '../../views/curves/UnitRankingTable';
import type { RadialUnit } from '../../views/curves/radialTuningChart';
import { heatmapValues, layerCurves, radialValues, sharedMaxOf, shownUnits, tuningsCsv } from './curveModel';
import { CircuitPanel } from './CircuitPanel';
import { EditPanel } from './EditPanel';
import { rankUnits } from '../../analysis/curves';
import { ChartExport } from '../ChartExport';
import { download, stem } from '../download';

const selectCurves = (s: AppState) => s.curves;
const selectProbe = (s: AppState) => s.probe;

/** Which curve view an embed shows alone. */
export type CurvePanel = 'tuning' | 'curvature' | 'circuit';

/**
 * The curve-circuit views of the selected layer's last run (issue 8): radial tuning curves, the orientation ×
 * curvature heatmap of the focused unit, the ranking of units by selectivity and, when the layer follows another
 * conv layer, the circuit between their most selective units. `only` shows one view (an embed) without controls.
 */
export function CurveResults({ only }: { only?: CurvePanel }) {
  const store = useAppStoreApi();
  const curves = useAppStore(selectCurves);
  const probe = useAppStore(selectProbe);
  const layer = useAppStore(selectSelectedTensorName);
  const info = useAppStore(selectModelInfo);
  const [hovered, setHovered] = useState<number | null>(null);
  const { options, result } = curves;
  const sweep = result?.layers.find((l) => l.layer === layer) ?? null;
  const previous = result && sweep ? (result.layers[result.layers.indexOf(sweep) - 1] ?? null) : null;
  const display = useMemo(() => ({ units: options.units, scale: options.scale }), [options.units, options.scale]);
  const data = useMemo(() => (sweep ? layerCurves(sweep, display, result?.options.kind !== 'angle') : null), [sweep, display, result]);
  const shown = useMemo(() => (data ? shownUnits(data, options.layout, curves.unit) : []), [data, options.layout, curves.unit]);
  const radialUnits = useMemo<RadialUnit[]>(
    () =>
      data
        ? shown.map((u) => ({ id: u, label: data.labels[u] ?? String(u), values: radialValues(data, u), preferredThetaDeg: data.tunings[u]?.preferredThetaDeg ?? 0, echo: data.tunings[u]?.echo !== null }))
        : [],
    [data, shown],
  );
  const focus = data && curves.unit !== null && curves.unit < data.count ? curves.unit : (shown[0] ?? null);
  const select = useCallback((u: number) => store.getState().focusUnit(u), [store]);
  const exportName = `${stem(info?.name ?? 'model')}-${(layer ?? 'layer').replace(/[^\w.-]+/g, '_')}`;
  const unitsWord = options.units === 'channels' ? 'channels' : 'singular directions';
  const scaleWord = options.scale === 'z' ? 'σ of baseline' : 'raw';
  // The circuit's input family (the most selective channels of the layer before), offered as the edit's source units.
  const suggestedInputs = useMemo(() => {
    const c = previous ? layerCurves(previous, { units: 'channels', scale: 'z' }, result?.options.kind !== 'angle') : null;
    return c
      ? rankUnits(c.tunings, 'selectivity')
          .slice(0, 8)
          .map((t) => t.unit)
      : [];
  }, [previous, result]);
  const show = (panel: CurvePanel) => only === undefined || only === panel;
  const actions = only === undefined;

  return (
    <>
    {sweep && !data ? <p className="hint">Singular directions were not computed for this run.</p> : null}
    {data && sweep ? (
      <div className="curve-results" data-testid="curve-results" data-units={data.count}>
        {actions ? (
        <div className="curve-display" role="group" aria-label="What to show">
          <label>
            units{' '}
            <select value={options.units} onChange={(e) => store.getState().setCurveOptions({ units: e.target.value === 'directions' ? 'directions' : 'channels' })} data-testid="curve-units">
              <option value="channels">channels</option>
              <option value="directions">singular directions (Uᵀ, pre-activation)</option>
            </select>
          </label>
          <label>
            scale{' '}
            <select value={options.scale} onChange={(e) => store.getState().setCurveOptions({ scale: e.target.value === 'raw' ? 'raw' : 'z' })} data-testid="curve-scale">
              <option value="z">σ of the baseline</option>
              <option value="raw">raw</option>
            </select>
          </label>
          <label>
            layout{' '}
            <select value={options.layout} onChange={(e) => store.getState().setCurveOptions({ layout: e.target.value === 'grid' ? 'grid' : 'overlay' })} data-testid="curve-layout">
              <option value="overlay">overlay: the 8 most selective</option>
              <option value="grid">small multiples: every unit</option>
            </select>
          </label>
          <span className="hint">
            read at row {sweep.position.row}, column {sweep.position.col} of the {sweep.position.outHeight}×{sweep.position.outWidth} output
            {result?.options.stage === 'post' && sweep.postOp ? ` · after ${sweep.postOp}` : ''} · baseline: {sweep.baseline.n} {probe.inputs ? 'probe inputs' : 'random strokes'}
          </span>
          <span className="chart-export">
            <span className="label">tuning</span>
            <button type="button" className="button small" onClick={() => download(`${exportName}-tuning.csv`, tuningsCsv(data), 'text/csv')} data-testid="curves-export-csv">
              CSV
            </button>
          </span>
        </div>
        ) : null}
        {show('tuning') ? (
        <figure className="plot curve-radial" data-testid="curve-radial">
          <figcaption>
            <span>
              Radial tuning: {unitsWord} of {layer} to a {result?.options.kind} at every θ ({scaleWord})
            </span>
            {actions ? <ChartExport name={`${exportName}-radial`} panel="tuning" title={`Radial tuning of ${layer}`} /> : null}
          </figcaption>
          <p className="metric-explanation">
            Distill’s encoding: the angle is the stimulus orientation θ, the distance from the inner ring the response (one scale for all units shown), the hue the unit’s preferred
            orientation. Hover a unit to isolate it, click to inspect it below.
          </p>
          <RadialTuning
            units={radialUnits}
            thetasDeg={data.radial.grid.thetasDeg}
            sharedMax={sharedMaxOf(data, shown)}
            layout={options.layout}
            selected={focus}
            onHover={setHovered}
            onSelect={select}
            highlighted={hovered}
          />
        </figure>
        ) : null}
        {show('curvature') ? (
        <div className="curve-pair">
          <figure className="plot curve-heatmap" data-testid="curve-heatmap">
            <figcaption>
              <span>Orientation × curvature: {focus === null ? 'no unit' : data.labels[focus]}</span>
              {actions ? <ChartExport name={`${exportName}-curvature`} panel="curvature" title={`Orientation × curvature of ${layer}`} /> : null}
            </figcaption>
            {focus !== null ? (
              <OrientationCurvatureHeatmap
                unitLabel={data.labels[focus] ?? ''}
                thetasDeg={data.heatmap.grid.thetasDeg}
                radiiPx={data.heatmap.grid.radiiPx}
                values={heatmapValues(data, focus)}
                units={options.scale === 'z' ? 'σ of baseline' : 'raw'}
              />
            ) : null}
          </figure>
          {actions ? (
          <section className="plot curve-ranking" aria-label="Units ranked by orientation selectivity">
            <h3>Units by orientation selectivity</h3>
            <UnitRankingTable tunings={data.tunings} labels={data.labels} selected={focus} onSelect={select} onHover={setHovered} highlighted={hovered} />
          </section>
          ) : null}
        </div>
        ) : null}
        {actions ? <EditPanel key={layer ?? ''} suggestedInputs={suggestedInputs} /> : null}
        {previous && show('circuit') ? <CircuitPanel from={previous} to={sweep} periodicLines={result?.options.kind !== 'angle'} actions={actions} /> : null}
      </div>
    ) : null}
    </>
  );
}
