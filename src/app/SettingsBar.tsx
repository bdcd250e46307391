import { CONV_DEFINITIONS } from '../analysis/spectra/layerSpectrum';
import type { ConvDefinition } from '../analysis/spectra/layerSpectrum';
import type { EigenvalueNormalization } from '../analysis/metrics/layerMetrics';
import { selectSettings } from '../state/selectors';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';

const CONV_TEXT: Record<ConvDefinition, string> = {
  'ww-pooled': 'ww-pooled (WeightWatcher)',
  unfold: 'unfold (DeepDataProfiler)',
  operator: 'operator (Sedghi et al.)',
};

const CONV_TITLE: Record<ConvDefinition, string> = {
  'ww-pooled': 'Singular values of every kh·kw kernel slice (c_out × c_in), pooled; λ = ½σ² as WeightWatcher 0.7.5.5',
  unfold: 'One c_out × c_in·kh·kw matrix per kernel, as DeepDataProfiler',
  operator: 'Exact singular values of the convolution on n×n inputs with circular padding and stride 1 (Sedghi, Gupta & Long 2019)',
};

const NORM_TEXT: Record<EigenvalueNormalization, string> = {
  none: 'none: λ = σ² (WeightWatcher)',
  'per-row': 'per-row: λ = σ²/rows (DeepDataProfiler)',
  mp: 'mp: λ = σ²/N (random-matrix scaling)',
};

const NORM_TITLE: Record<EigenvalueNormalization, string> = {
  none: 'Eigenvalues as WeightWatcher analyses them: λ = σ², no 1/N scaling. α does not depend on the scaling; norms do.',
  'per-row': 'λ divided by the matrix rows (c_out), as DeepDataProfiler normalises',
  mp: 'λ divided by N (the larger dimension), so a random Gaussian layer has its MP bulk at order 1',
};

/** How layers are computed: the conv definition, its input size, and the Marchenko–Pastur fit. */
export function SettingsBar() {
  const settings = useAppStore(selectSettings);
  const store = useAppStoreApi();
  const conv = settings.conv ?? 'ww-pooled';
  const normalization = settings.normalization ?? 'none';
  return (
    <div className="settings-bar" role="group" aria-label="Analysis settings">
      <label title={CONV_TITLE[conv]}>
        conv definition{' '}
        <select value={conv} onChange={(e) => store.getState().setSettings({ conv: e.target.value as ConvDefinition })} data-testid="conv-definition">
          {CONV_DEFINITIONS.map((d) => (
            <option key={d} value={d}>
              {CONV_TEXT[d]}
            </option>
          ))}
        </select>
      </label>
      {conv === 'operator' ? (
        <label title="Input height and width n (circular padding, stride 1): exact only for that case">
          n ={' '}
          <select value={settings.operatorInputSize ?? 16} onChange={(e) => store.getState().setSettings({ operatorInputSize: Number(e.target.value) })}>
            {[8, 16, 32].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label title={NORM_TITLE[normalization]}>
        λ scaling{' '}
        <select
          value={normalization}
          onChange={(e) => store.getState().setSettings({ normalization: e.target.value as EigenvalueNormalization })}
          data-testid="normalization"
        >
          {(Object.keys(NORM_TEXT) as EigenvalueNormalization[]).map((n) => (
            <option key={n} value={n}>
              {NORM_TEXT[n]}
            </option>
          ))}
        </select>
      </label>
      <label title="Small singular values: the Gram route is noise below ~1e-8·σ_max; Jacobi recomputes the tail exactly">
        tail{' '}
        <select value={settings.exactTail ?? 'auto'} onChange={(e) => store.getState().setSettings({ exactTail: e.target.value as 'auto' | 'always' | 'off' })} data-testid="exact-tail">
          <option value="auto">auto (Jacobi near the noise floor)</option>
          <option value="always">exact (Jacobi for every matrix)</option>
          <option value="off">Gram only (fastest)</option>
        </select>
      </label>
      <label className="toggle" title="Shuffle each layer's entries (seeded) and compare ESDs: rand_distance, ww_softrank, correlation traps (WeightWatcher randomize)">
        <input type="checkbox" checked={settings.randomize ?? false} onChange={(e) => store.getState().setSettings({ randomize: e.target.checked })} data-testid="randomize" /> randomised ESD
      </label>
      <label className="toggle" title="WeightWatcher's mp_fit: fit the Marchenko–Pastur law to the ESD bulk">
        <input type="checkbox" checked={settings.mpFit ?? false} onChange={(e) => store.getState().setSettings({ mpFit: e.target.checked })} /> MP fit
      </label>
    </div>
  );
}
