import type { ReactNode } from 'react';
import { useId, useMemo } from 'react';
import type { ClassProfile, DirectionHypergraph } from '../../analysis/profiles';
import { classProfiles, directionHypergraph, jaccardMatrix } from '../../analysis/profiles';
import type { BipartiteGraph } from './bipartite';
import { bipartiteGraph } from './bipartite';
import type { HeatmapData } from './heatmapData';
import { heatmapData } from './heatmapData';
import { Hypergraph } from './Hypergraph';
import type { JaccardData } from './jaccardData';
import { jaccardData } from './jaccardData';
import { JaccardMatrix } from './JaccardMatrix';
import { ProfileHeatmap } from './ProfileHeatmap';
import { directionName, directionRank, percent } from './profileFormat';
import { TopInputs } from './TopInputs';

/** The three charts of the profile views, for export/embed buttons. */
export type ProfilesChart = 'heatmap' | 'hypergraph' | 'jaccard';

export interface ProfilesViewProps {
  /** The layer's name (titles, export names). */
  readonly layer: string;
  /** The layer's singular values, descending. */
  readonly sigma: Float64Array;
  /** N × rank row-major: each input's aggregate projection onto each singular direction. */
  readonly aggregates: Float64Array;
  readonly n: number;
  readonly rank: number;
  /** N class indices into `classes`. */
  readonly labels: readonly number[];
  readonly classes: readonly string[];
  /** N input names. */
  readonly names: readonly string[];
  /** An image URL (data: or blob:) of input `index`. */
  readonly thumbnails: (index: number) => string;
  /** Influence threshold (SCIENCE.md §3; DDP's default 0.1). */
  readonly threshold: number;
  readonly weightedJaccard: boolean;
  readonly mode: 'primal' | 'dual';
  /** The selected direction, a 0-based index (σ rank − 1; the spectrum's `highlightRank` is this + 1), or null. */
  readonly selectedDirection: number | null;
  readonly onSelectDirection: (direction: number | null) => void;
  readonly onMode: (mode: 'primal' | 'dual') => void;
  readonly onWeighted: (weighted: boolean) => void;
  /** Width / height of the inputs' images (wide text lines get wide thumbnails); 1 by default. */
  readonly thumbnailAspect?: number;
  /** How many top inputs to list (default 8). */
  readonly topCount?: number;
  /** Export/embed buttons for a chart's caption (e.g. the app's `ViewActions`); none by default. */
  readonly renderActions?: (request: { readonly chart: ProfilesChart; readonly name: string; readonly title: string }) => ReactNode;
  /** Show only this view (an embed), without the others. */
  readonly only?: ProfilesChart | 'inputs';
}

interface Computed {
  readonly profiles: readonly ClassProfile[];
  readonly hypergraph: DirectionHypergraph;
  readonly heatmap: HeatmapData;
}

/** Explanations for a student, one line per view. */
export const PROFILE_EXPLANATIONS = {
  heatmap:
    'Each row is a class, each column a singular direction of this layer (k = its rank in the spectrum). A bright cell: that class’s inputs lean on that direction. ' +
    'A grey bar above a column: every class uses it (a generic feature); a coloured symbol: only that class does (a discriminative one).',
  hypergraph:
    'Our construction (the paper’s exact one is not public): each class is a hyperedge joining the singular directions its inputs rely on; a link’s width is the class’s share. ' +
    'The dual swaps the roles: each direction becomes a hyperedge over the classes that use it, showing which directions tell classes apart.',
  jaccard:
    'How far two classes rely on the same directions: 1 = the same set of influential directions (weighted: in the same amounts), 0 = none in common.',
  inputs: 'The inputs whose activations project most strongly onto the direction (largest |aggregate|): what the direction responds to.',
} as const;

/**
 * The class-profile views of one layer (SCIENCE.md §3): the class × direction heatmap, the direction hypergraph
 * (primal or dual), the class Jaccard matrix and the inputs that drive the selected direction. Everything comes in
 * through props; profiles, hypergraph and Jaccard are computed here with the pure functions of
 * `src/analysis/profiles`.
 */
export function ProfilesView(props: ProfilesViewProps) {
  const { layer, sigma, aggregates, n, rank, labels, classes, names, thumbnails, threshold, weightedJaccard, mode, selectedDirection, onSelectDirection, onMode, onWeighted } = props;
  const pickerId = useId();
  const computed = useMemo<Computed | { error: string }>(() => {
    try {
      const profiles = classProfiles(aggregates, n, rank, labels, classes, threshold);
      const hypergraph = directionHypergraph(profiles);
      return { profiles, hypergraph, heatmap: heatmapData(profiles, hypergraph, sigma) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [aggregates, n, rank, labels, classes, threshold, sigma]);
  const ok = 'error' in computed ? null : computed;
  const classTotals = useMemo(() => new Map(ok?.heatmap.rows.map((r) => [r.label, r.total]) ?? []), [ok]);
  const graph = useMemo<BipartiteGraph | null>(() => (ok ? bipartiteGraph(ok.hypergraph, { mode, classes, classTotals }) : null), [ok, mode, classes, classTotals]);
  const jaccard = useMemo<JaccardData | null>(() => {
    if (!ok) return null;
    // Classes without inputs have no profile to compare (two of them would be "identical"): leave them out.
    const present = ok.profiles.map((p, i) => ({ p, i })).filter(({ p }) => p.count > 0);
    const matrix = jaccardMatrix(
      present.map(({ p }) => p),
      weightedJaccard,
    );
    return jaccardData(
      matrix,
      present.map(({ p }) => p.label),
      weightedJaccard,
      present.map(({ i }) => i),
    );
  }, [ok, weightedJaccard]);

  if (!ok || !graph || !jaccard) {
    return (
      <div className="profiles-view" data-testid="profiles-view" data-ready="false" data-layer={layer}>
        <p className="error-text" role="alert">
          The class profiles could not be computed: {'error' in computed ? computed.error : 'no data'}
        </p>
      </div>
    );
  }
  const columns = ok.heatmap.columns;
  const selected = selectedDirection !== null && selectedDirection >= 0 && selectedDirection < rank ? selectedDirection : null;
  const k = selected === null ? null : directionRank(selected);
  const sigmaOf = (d: number) => (d < sigma.length ? (sigma[d] as number) : null);
  const actions = (chart: ProfilesChart, title: string) => props.renderActions?.({ chart, name: `${layer}-${chart}`, title: `${title} · ${layer}` }) ?? null;
  const empty = n === 0 || columns.length === 0;
  const show = (view: ProfilesChart | 'inputs') => props.only === undefined || props.only === view;

  return (
    <div className="profiles-view" data-testid="profiles-view" data-ready={empty ? 'false' : 'true'} data-layer={layer} data-selected-direction={selected ?? undefined}>
      {props.only ? null : (
      <p className="profiles-threshold metric-explanation">
        {n} input{n === 1 ? '' : 's'} in {classes.length} class{classes.length === 1 ? '' : 'es'}. An input’s influential directions: the largest |projections| up to{' '}
        {percent(threshold)} of its total, plus one.
      </p>
      )}
      {empty ? <p className="hint">No influential directions: no inputs were profiled on this layer.</p> : null}
      {show('heatmap') ? (
        <section className="plot profiles-section" aria-label="Class × direction influence" data-testid="profile-heatmap">
          <figure className="profiles-figure">
            <figcaption>
              <span>Class × direction influence</span>
              {actions('heatmap', 'Class × direction influence')}
            </figcaption>
            <p className="metric-explanation profiles-explanation">{PROFILE_EXPLANATIONS.heatmap}</p>
            <ProfileHeatmap data={ok.heatmap} selectedDirection={selected} onSelectDirection={onSelectDirection} />
          </figure>
        </section>
      ) : null}
      {show('hypergraph') ? (
        <section className="plot profiles-section" aria-label="Singular-direction hypergraph" data-testid="profile-hypergraph" data-mode={mode}>
          <figure className="profiles-figure">
            <figcaption>
              <span>Singular-direction hypergraph (our construction)</span>
              <span className="profiles-mode" role="radiogroup" aria-label="Hypergraph or its dual">
                <label className="toggle">
                  <input type="radio" name={`${pickerId}-mode`} checked={mode === 'primal'} onChange={() => onMode('primal')} data-testid="hypergraph-primal" /> classes → directions
                </label>
                <label className="toggle">
                  <input type="radio" name={`${pickerId}-mode`} checked={mode === 'dual'} onChange={() => onMode('dual')} data-testid="hypergraph-dual" /> dual: directions → classes
                </label>
              </span>
              {actions('hypergraph', mode === 'primal' ? 'Singular-direction hypergraph' : 'Dual singular-direction hypergraph')}
            </figcaption>
            <p className="metric-explanation profiles-explanation">{PROFILE_EXPLANATIONS.hypergraph}</p>
            <Hypergraph graph={graph} sigma={sigma} selectedDirection={selected} onSelectDirection={onSelectDirection} />
          </figure>
        </section>
      ) : null}
      {show('jaccard') ? (
        <section className="plot profiles-section" aria-label="Class similarity (Jaccard)" data-testid="profile-jaccard" data-weighted={weightedJaccard ? 'true' : 'false'}>
          <figure className="profiles-figure">
            <figcaption>
              <span>Class similarity (Jaccard)</span>
              <label className="toggle">
                <input type="checkbox" checked={weightedJaccard} onChange={(e) => onWeighted(e.target.checked)} data-testid="jaccard-weighted" /> weighted
              </label>
              {actions('jaccard', weightedJaccard ? 'Class similarity (weighted Jaccard)' : 'Class similarity (Jaccard)')}
            </figcaption>
            <p className="metric-explanation profiles-explanation">{PROFILE_EXPLANATIONS.jaccard}</p>
            <JaccardMatrix data={jaccard} />
          </figure>
        </section>
      ) : null}
      {show('inputs') ? (
        <section className="plot profiles-section" aria-label={`Inputs that drive direction ${k ?? 'k'}`} data-testid="profile-top-inputs">
          <figure className="profiles-figure">
            <figcaption>
              <span>{k === null ? 'Inputs that drive a direction' : `Inputs that drive ${directionName(k, sigmaOf(selected as number))}`}</span>
              <label className="toggle">
                Direction{' '}
                <select
                  value={selected ?? ''}
                  onChange={(e) => onSelectDirection(e.target.value === '' ? null : Number(e.target.value))}
                  data-testid="direction-select"
                  aria-label="Singular direction"
                >
                  <option value="">none</option>
                  {selected !== null && !columns.some((c) => c.direction === selected) ? <option value={selected}>{k} · not influential</option> : null}
                  {columns.map((c) => (
                    <option key={c.direction} value={c.direction}>
                      {c.rank}
                      {c.shared ? ' · shared' : c.uniqueTo !== null ? ` · ${c.uniqueTo} only` : ''}
                    </option>
                  ))}
                </select>
              </label>
            </figcaption>
            <p className="metric-explanation profiles-explanation">{PROFILE_EXPLANATIONS.inputs}</p>
            <TopInputs
              direction={selected}
              sigma={sigma}
              aggregates={aggregates}
              n={n}
              rank={rank}
              labels={labels}
              classes={classes}
              names={names}
              thumbnails={thumbnails}
              count={props.topCount ?? 8}
              aspect={props.thumbnailAspect ?? 1}
            />
          </figure>
        </section>
      ) : null}
    </div>
  );
}
