/**
 * The shareable slice of the app state as a versioned query string (`v=1`), and back. Only what is needed to
 * reopen the same view: the model source (a sample id; a local file only by name, since its bytes cannot be
 * in a URL), the layer, and the analysis settings. Unknown or invalid values decode to the defaults, so an
 * old or hand-edited link still opens.
 */
import type { ConvDefinition } from '../analysis/spectra/layerSpectrum';
import { CONV_DEFINITIONS } from '../analysis/spectra/layerSpectrum';
import type { EigenvalueNormalization } from '../analysis/metrics/layerMetrics';
import type { CurveOptions } from './curveOptions';
import { DEFAULT_CURVE_OPTIONS, decodeCurveOptions, encodeCurveOptions } from './curveOptions';
import { DEFAULT_DIFF_K, clampDiffK } from './slices/diffSlice';

export const PERMALINK_VERSION = 1;

/** Where the model of a view comes from: a built-in sample, a URL the browser may fetch, or local files (by name). */
export type PermalinkSource =
  | { readonly kind: 'sample'; readonly id: string }
  | { readonly kind: 'url'; readonly urls: readonly string[] }
  | { readonly kind: 'files'; readonly names: readonly string[] };

export interface PermalinkState {
  readonly source: PermalinkSource | null;
  readonly layer: string | null;
  /** The page: the whole-model scan, the layer's view, its probes, its curve circuits, or a study's training steps. */
  readonly view: 'scan' | 'layer' | 'probe' | 'curves' | 'study';
  /** In a study (several checkpoints), the checkpoint every page shows, by name. */
  readonly checkpoint: string | null;
  /** In a study, the two checkpoints compared (ΔW = W_B − W_A), by name, and k. */
  readonly diff: { readonly a: string; readonly b: string; readonly k: number } | null;
  /** Probes: the built-in input set (local images cannot be in a URL), aggregation, threshold, drawing, direction. */
  readonly probe: {
    readonly inputs: 'builtin' | null;
    readonly aggregate: 'mean' | 'max';
    readonly threshold: number;
    readonly mode: 'primal' | 'dual';
    readonly weighted: boolean;
    /** Probe every probe-able layer, or only the selected one. */
    readonly scope: 'all' | 'layer';
    readonly direction: number | null;
  };
  /** Curve circuits: the stimulus (SCIENCE.md §4: every parameter is in the link), the read-out and the display. */
  readonly curves: CurveOptions;
  /** The unit in focus on the curves page. */
  readonly curveUnit: number | null;
  /** The column colouring the scan. */
  readonly metric: string;
  readonly conv: ConvDefinition;
  readonly operatorInputSize: number;
  readonly mpFit: boolean;
  readonly normalization: EigenvalueNormalization;
  readonly exactTail: 'auto' | 'always' | 'off';
  readonly randomize: boolean;
  readonly spectrumScale: 'log' | 'linear';
}

export const DEFAULT_PERMALINK: PermalinkState = {
  source: null,
  layer: null,
  view: 'scan',
  checkpoint: null,
  diff: null,
  probe: { inputs: null, aggregate: 'mean', threshold: 0.1, mode: 'primal', weighted: true, scope: 'all', direction: null },
  curves: DEFAULT_CURVE_OPTIONS,
  curveUnit: null,
  metric: 'alpha',
  conv: 'ww-pooled',
  operatorInputSize: 16,
  mpFit: true,
  normalization: 'none',
  exactTail: 'auto',
  randomize: false,
  spectrumScale: 'log',
};

const TAILS = ['auto', 'always', 'off'] as const;
const NORMALIZATIONS = ['none', 'per-row', 'mp'] as const;
/** A metric name is a WeightWatcher-style column name. */
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** The query string (without `?`) of a state; defaults are left out to keep links short. */
export function encodePermalink(state: PermalinkState): string {
  const q = new URLSearchParams();
  q.set('v', String(PERMALINK_VERSION));
  if (state.source?.kind === 'sample') q.set('sample', state.source.id);
  if (state.source?.kind === 'url') for (const u of state.source.urls) q.append('url', u);
  if (state.source?.kind === 'files') q.set('file', JSON.stringify(state.source.names));
  if (state.layer !== null) q.set('layer', state.layer);
  if (state.view !== DEFAULT_PERMALINK.view) q.set('view', state.view);
  if (state.checkpoint !== null) q.set('ckpt', state.checkpoint);
  if (state.diff) {
    q.set('da', state.diff.a);
    q.set('db', state.diff.b);
    if (state.diff.k !== DEFAULT_DIFF_K) q.set('dk', String(state.diff.k));
  }
  if (state.metric !== DEFAULT_PERMALINK.metric) q.set('metric', state.metric);
  const p = state.probe;
  const dp = DEFAULT_PERMALINK.probe;
  if (p.inputs !== dp.inputs) q.set('inputs', p.inputs ?? '');
  if (p.aggregate !== dp.aggregate) q.set('agg', p.aggregate);
  if (p.threshold !== dp.threshold) q.set('thr', String(p.threshold));
  if (p.mode !== dp.mode) q.set('hg', p.mode);
  if (p.weighted !== dp.weighted) q.set('jw', p.weighted ? '1' : '0');
  if (p.scope !== dp.scope) q.set('probe', p.scope);
  if (p.direction !== dp.direction) q.set('dir', String(p.direction));
  encodeCurveOptions(q, state.curves);
  if (state.curveUnit !== null) q.set('cunit', String(state.curveUnit));
  if (state.conv !== DEFAULT_PERMALINK.conv) q.set('conv', state.conv);
  if (state.operatorInputSize !== DEFAULT_PERMALINK.operatorInputSize) q.set('n', String(state.operatorInputSize));
  if (state.mpFit !== DEFAULT_PERMALINK.mpFit) q.set('mp', state.mpFit ? '1' : '0');
  if (state.normalization !== DEFAULT_PERMALINK.normalization) q.set('norm', state.normalization);
  if (state.exactTail !== DEFAULT_PERMALINK.exactTail) q.set('tail', state.exactTail);
  if (state.randomize !== DEFAULT_PERMALINK.randomize) q.set('rand', state.randomize ? '1' : '0');
  if (state.spectrumScale !== DEFAULT_PERMALINK.spectrumScale) q.set('scale', state.spectrumScale);
  return q.toString();
}

function fileNames(text: string | null): readonly string[] | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((n) => typeof n === 'string') ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}

/** The state a query string describes (a leading `?` is fine); anything missing or invalid is the default. */
export function decodePermalink(search: string): PermalinkState {
  const q = new URLSearchParams(search);
  const sample = q.get('sample');
  const files = fileNames(q.get('file'));
  const conv = q.get('conv');
  const n = Number(q.get('n'));
  const tail = q.get('tail');
  const scale = q.get('scale');
  const urls = q.getAll('url').filter(fetchableUrl);
  const norm = q.get('norm');
  const metric = q.get('metric') ?? '';
  const da = q.get('da');
  const db = q.get('db');
  return {
    source: sample ? { kind: 'sample', id: sample } : urls.length > 0 ? { kind: 'url', urls } : files ? { kind: 'files', names: files } : null,
    layer: q.get('layer'),
    view: (['layer', 'probe', 'curves', 'study'] as const).find((v) => v === q.get('view')) ?? 'scan',
    checkpoint: q.get('ckpt') || null,
    diff: da && db ? { a: da, b: db, k: clampDiffK(q.has('dk') ? Number(q.get('dk')) : undefined) } : null,
    probe: decodeProbe(q),
    curves: decodeCurveOptions(q),
    curveUnit: q.has('cunit') && Number.isInteger(Number(q.get('cunit'))) && Number(q.get('cunit')) >= 0 && Number(q.get('cunit')) < 1e6 ? Number(q.get('cunit')) : null,
    metric: METRIC_NAME.test(metric) ? metric : DEFAULT_PERMALINK.metric,
    conv: (CONV_DEFINITIONS as readonly string[]).includes(conv ?? '') ? (conv as ConvDefinition) : DEFAULT_PERMALINK.conv,
    operatorInputSize: Number.isInteger(n) && n >= 1 && n <= 256 ? n : DEFAULT_PERMALINK.operatorInputSize,
    mpFit: q.has('mp') ? q.get('mp') === '1' : DEFAULT_PERMALINK.mpFit,
    normalization: (NORMALIZATIONS as readonly string[]).includes(norm ?? '') ? (norm as EigenvalueNormalization) : DEFAULT_PERMALINK.normalization,
    exactTail: (TAILS as readonly string[]).includes(tail ?? '') ? (tail as PermalinkState['exactTail']) : DEFAULT_PERMALINK.exactTail,
    randomize: q.get('rand') === '1',
    spectrumScale: scale === 'linear' ? 'linear' : 'log',
  };
}

/** Only http(s) URLs (absolute, or relative to the page) are fetched; `javascript:`, `data:` and the like are dropped. */
export function fetchableUrl(text: string): boolean {
  if (text === '') return false;
  try {
    const u = new URL(text, 'https://relative.invalid/');
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function decodeProbe(q: URLSearchParams): PermalinkState['probe'] {
  const d = DEFAULT_PERMALINK.probe;
  const thr = Number(q.get('thr'));
  const dir = Number(q.get('dir'));
  return {
    inputs: q.get('inputs') === 'builtin' ? 'builtin' : d.inputs,
    aggregate: q.get('agg') === 'max' ? 'max' : d.aggregate,
    threshold: q.has('thr') && Number.isFinite(thr) && thr > 0 && thr < 1 ? thr : d.threshold,
    mode: q.get('hg') === 'dual' ? 'dual' : d.mode,
    weighted: q.has('jw') ? q.get('jw') !== '0' : d.weighted,
    scope: q.get('probe') === 'layer' ? 'layer' : d.scope,
    direction: q.has('dir') && Number.isInteger(dir) && dir >= 0 && dir < 1e6 ? dir : d.direction,
  };
}
