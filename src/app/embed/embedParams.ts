/**
 * Embed mode (`?embed=1`): one view, chrome-less, for an <iframe> in a slide. Which view (`panel=`) and theme
 * (`theme=`) sit beside the permalink's parameters; these helpers read them and write the iframe snippet.
 */

/**
 * The views an embed can show: the scan's three, the layer view's five, the probe page's four, the curves page's
 * three, a study's two, and the two ΔW charts of a study's comparison (`da`/`db` in the link).
 */
export const EMBED_PANELS = [
  'strip',
  'depth',
  'table',
  'spectrum',
  'esd',
  'fit',
  'trap',
  'metrics',
  'heatmap',
  'hypergraph',
  'jaccard',
  'overlap',
  'tuning',
  'curvature',
  'circuit',
  'steps',
  'step-spectra',
  'delta-spectrum',
  'principal-angles',
] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

/** Query parameters that belong to embeds, not to the permalink. */
export const EMBED_PARAMS = ['embed', 'panel', 'theme'] as const;

export const PANEL_TITLES: Record<EmbedPanel, string> = {
  strip: 'every layer coloured by a metric',
  depth: 'a metric against depth',
  table: 'all layers and metrics',
  spectrum: 'singular values by rank',
  esd: 'eigenvalue density with the fits',
  fit: 'power-law fit diagnostics',
  trap: 'the layer against a shuffled copy',
  metrics: 'the layer’s metrics',
  heatmap: 'class × direction influence',
  hypergraph: 'the singular-direction hypergraph',
  jaccard: 'class similarity of the direction profiles',
  overlap: 'class overlap by layer',
  tuning: 'radial tuning curves',
  curvature: 'orientation × curvature of a unit',
  circuit: 'the weights between curve units',
  steps: 'a metric against training step',
  'step-spectra': 'one layer’s spectrum at every checkpoint',
  'delta-spectrum': 'the spectrum of the change ΔW between two checkpoints',
  'principal-angles': 'principal angles between two checkpoints’ top singular subspaces',
};

export interface EmbedOptions {
  readonly panel: EmbedPanel;
  readonly theme: 'light' | 'dark' | 'system';
}

/** The embed options of a query string, or null when it is not an embed. */
export function embedOptions(search: string): EmbedOptions | null {
  const q = new URLSearchParams(search);
  if (q.get('embed') !== '1') return null;
  const panel = q.get('panel') ?? '';
  const theme = q.get('theme');
  const fallback: EmbedPanel = q.get('view') === 'layer' ? 'esd' : q.get('view') === 'probe' ? 'hypergraph' : q.get('view') === 'curves' ? 'tuning' : q.get('view') === 'study' ? 'steps' : 'depth';
  return {
    panel: (EMBED_PANELS as readonly string[]).includes(panel) ? (panel as EmbedPanel) : fallback,
    theme: theme === 'light' || theme === 'dark' ? theme : 'system',
  };
}

/** The full app's URL for an embed's URL: the same view, without the embed parameters. */
export function appUrlOf(embedUrl: string): string {
  const url = new URL(embedUrl);
  for (const k of EMBED_PARAMS) url.searchParams.delete(k);
  return url.toString();
}

/** The embed URL of a view: the page URL with `embed=1`, its panel and (if not the system's) theme. */
export function embedUrlOf(pageUrl: string, options: EmbedOptions): string {
  const url = new URL(pageUrl);
  for (const k of EMBED_PARAMS) url.searchParams.delete(k);
  url.searchParams.set('embed', '1');
  url.searchParams.set('panel', options.panel);
  if (options.theme !== 'system') url.searchParams.set('theme', options.theme);
  return url.toString();
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The <iframe> snippet for a slide. `allow="cross-origin-isolated"` lets the embed use its threads when the slide
 * page is itself isolated; without it the embed computes on one thread (same numbers).
 */
export function embedSnippet(embedUrl: string, title: string, size: { width: number; height: number } = { width: 720, height: 420 }): string {
  return (
    `<iframe src="${escapeAttribute(embedUrl)}" title="${escapeAttribute(title)}" width="${size.width}" height="${size.height}" ` +
    `style="border:0" loading="lazy" allow="cross-origin-isolated; clipboard-write"></iframe>`
  );
}
