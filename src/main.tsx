import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { EmbedApp } from './app/embed/EmbedApp';
import { EMBED_PARAMS, embedOptions } from './app/embed/embedParams';
import { StoreProvider } from './views/shared/storeContext';
import { createAppStore } from './state/createAppStore';
import { createAnalysisClient } from './compute/analysisClient';
import { createDefaultAnalysisPool } from './compute/analysisPool';
import { createProbeClient } from './compute/probeClient';
import { loadSample, loadUrls } from './app/samples';
import { syncPermalink } from './state/permalinkSync';
import './app/app.css';

const DEFAULT_SAMPLE = 'stroke-cnn';

const store = createAppStore({
  client: createDefaultAnalysisPool(),
  referenceClient: createAnalysisClient(),
  studyClient: createDefaultAnalysisPool(),
  probeClient: createProbeClient(),
  loadSample,
  loadUrls,
  now: () => performance.now(),
});
const params = new URLSearchParams(location.search);
// `?embed=1`: one view, chrome-less, for an <iframe> in a slide (its theme from `theme=`, else the system's).
const embed = embedOptions(location.search);
if (embed) {
  document.documentElement.classList.add('embed-mode');
  if (embed.theme !== 'system') document.documentElement.dataset.theme = embed.theme;
}
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>{embed ? <EmbedApp panel={embed.panel} /> : <App />}</StoreProvider>
  </StrictMode>,
);

// `?linalg=ts` runs the plain-TypeScript float64 route instead of the WASM SIMD kernels (for comparisons).
if (params.get('linalg') === 'ts') store.getState().setSettings({ linalg: 'typescript' });
// `?gram=parallel` splits every dense layer's Gram across threads (normally only very large ones).
if (params.get('gram') === 'parallel') store.getState().setSettings({ parallelGram: 'always' });
// The permalink: open its model and view, then keep the URL current.
syncPermalink(store, location.search, DEFAULT_SAMPLE, (query) => history.replaceState(null, '', `?${query}`), ['linalg', 'gram', ...EMBED_PARAMS]);
