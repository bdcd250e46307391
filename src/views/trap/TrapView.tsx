import { useEffect, useMemo } from 'react';
import { DEFAULT_RANDOMIZE_SEED, canRandomize } from '../../analysis/metrics/layerRandomization';
import { selectSelectedResult, selectSelectedTensor, selectSelectedTrap, selectSettings } from '../../state/selectors';
import { trapFromResult } from '../../state/slices/trapSlice';
import type { TrapEntry } from '../../state/slices/trapSlice';
import { formatNumber } from '../shared/chart';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { trapChart } from './trapChart';
import type { TrapChartData } from './trapData';
import { trapChartData } from './trapData';

/** How to read the chart, in one line (Martin & Mahoney, JMLR 2021, §5.5). */
export const TRAP_CAPTION =
  "A well-trained layer's tail (blue) extends far beyond the shuffled layer's MP bulk (orange): that structure is learned. " +
  'Spikes left in the shuffled ESD are correlation traps: a few large entries, not learned correlations.';

/** The numbers shown under the chart: WeightWatcher's columns. */
const NUMBERS = [
  { column: 'rand_distance', label: 'JS distance', title: 'Jensen–Shannon distance between the sorted λ and the shuffled λ (WW rand_distance)' },
  { column: 'ww_softrank', label: 'soft rank', title: 'λ_max of the shuffled layer / λ_max (WW ww_softrank)' },
  { column: 'rand_num_spikes', label: 'correlation traps', title: 'Shuffled λ above its MP bulk edge + Tracy–Widom margin (WW rand_num_spikes)' },
] as const;

/** Why WeightWatcher has no randomised ESD for a layer analysed as `definition`. */
export function notRandomizableReason(kind: string, definition: string): string {
  if (kind === 'conv2d') {
    return `WeightWatcher randomises conv layers only in its pooled definition (one matrix per kernel position); this layer is analysed as ${definition}. Choose the WeightWatcher conv definition to compare it with a shuffled copy.`;
  }
  return `WeightWatcher randomises only dense layers and pooled conv kernels; this layer is analysed as ${definition}, which has no WeightWatcher randomisation.`;
}

/** The chart, mounted once its data exists (so `useChart` finds its host on mount). */
function TrapChartPanel({ data }: { data: TrapChartData }) {
  const host = useChart(trapChart, data);
  return <div ref={host} className="view view-trap" aria-label="The layer's ESD against that of a shuffled copy, with the correlation traps" />;
}

/**
 * The correlation-trap view of the selected layer: its ESD against a seeded shuffled copy's (WeightWatcher
 * `randomize=True`). Uses the scan's randomised ESD when the `randomize` setting is on; otherwise offers to compute
 * it for this layer alone (`requestTrap`), or does so at once with `auto` (e.g. in an embed).
 */
export function TrapView({ auto = false }: { auto?: boolean }) {
  const tensor = useAppStore(selectSelectedTensor);
  const result = useAppStore(selectSelectedResult);
  const requested = useAppStore(selectSelectedTrap);
  const settings = useAppStore(selectSettings);
  const store = useAppStoreApi();
  const trap = useMemo<TrapEntry | null>(() => trapFromResult(result) ?? requested, [result, requested]);
  const ok = result?.status === 'ok' ? result : null;
  const unavailable = ok && tensor && !canRandomize(tensor.kind, ok.report.definition) ? notRandomizableReason(tensor.kind, ok.report.definition) : null;
  const data = useMemo<TrapChartData | null>(
    () => (ok && tensor && trap?.status === 'ready' ? trapChartData(tensor.name, ok.spectrum.singularValues, ok.report.evalScale, trap.randomized) : null),
    [ok, tensor, trap],
  );
  const name = tensor?.name ?? null;
  const canAsk = ok !== null && name !== null && unavailable === null;
  useEffect(() => {
    if (auto && canAsk && trap === null && name !== null) void store.getState().requestTrap(name);
  }, [auto, canAsk, trap, name, store]);

  const seed = settings.randomizeSeed ?? DEFAULT_RANDOMIZE_SEED;
  const state = !tensor || !ok ? 'pending' : unavailable ? 'unavailable' : (trap?.status ?? 'idle');
  let body;
  if (!tensor) body = <p className="hint">Select a layer.</p>;
  else if (result?.status === 'failed' || result?.status === 'non-finite') body = <p className="hint">This layer has no spectrum, so there is nothing to compare.</p>;
  else if (!ok) body = <p className="hint">Waiting for the layer&apos;s spectrum…</p>;
  else if (unavailable) body = <p className="hint trap-unavailable">{unavailable}</p>;
  else if (trap?.status === 'loading') {
    body = (
      <p className="hint trap-progress" role="status" data-testid="trap-progress">
        Shuffling the layer&apos;s entries (seed {seed}) and recomputing its ESD…
      </p>
    );
  } else if (trap?.status === 'ready' && data) {
    const columns = trap.columns as Readonly<Record<string, number | undefined>>;
    body = (
      <>
        <TrapChartPanel data={data} />
        <p className="trap-caption">{TRAP_CAPTION}</p>
        <dl className="stats trap-numbers">
          {NUMBERS.map((n) => (
            <div key={n.column} title={n.title}>
              <dt>{n.label}</dt>
              <dd data-column={n.column}>{columns[n.column] === undefined ? '—' : formatNumber(columns[n.column] as number)}</dd>
            </div>
          ))}
        </dl>
      </>
    );
  } else {
    const error = trap?.status === 'error' ? trap.error : null;
    body = (
      <div className="trap-start">
        {error ? (
          <p className="error-text" role="alert">
            The comparison failed [{error.code}]: {error.message}
            {error.remedy ? <span className="error-remedy"> {error.remedy}</span> : null}
          </p>
        ) : null}
        <button type="button" className="button" data-testid="trap-compute" onClick={() => void store.getState().requestTrap(tensor.name)}>
          {error ? 'Try again' : `Compare with a shuffled copy (seed ${seed})`}
        </button>
        <p className="hint">
          Shuffles this layer&apos;s entries and recomputes its ESD (a few SVDs of the layer). The &ldquo;randomised ESD&rdquo; setting does it for every layer.
        </p>
      </div>
    );
  }
  return (
    <section className="trap" aria-label="Correlation traps: the layer against a shuffled copy" data-testid="trap-view" data-state={state} data-ready={data && state === 'ready' ? 'true' : 'false'}>
      {body}
    </section>
  );
}
