import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { StoreProvider } from './views/shared/storeContext';
import { createAppStore } from './state/createAppStore';
import { createAnalysisClient } from './compute/analysisClient';
import { loadSample } from './app/samples';
import './app/app.css';

const DEFAULT_SAMPLE = 'stroke-cnn';

const store = createAppStore({
  client: createAnalysisClient(),
  referenceClient: createAnalysisClient(),
  loadSample,
  now: () => performance.now(),
});
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

const requested = new URLSearchParams(location.search).get('sample');
void store.getState().openSample(requested ?? DEFAULT_SAMPLE);
