import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ProbeClient } from '../../compute/probeClient';
import type { ProbeModelInfo } from '../../../workers/probeProtocol';
import { outputChange } from '../../analysis/checkpoints/outputChange';
import { createAppStore } from '../../state/createAppStore';
import type { AppStore } from '../../state/createAppStore';
import type { LowRankEffectResult } from '../../state/slices/probeSlice';
import { fakeAnalysisClient } from '../../state/testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../../state/testing/testModel';
import { StoreProvider } from '../../views/shared/storeContext';
import { OutputChangePanel } from './OutputChangePanel';

const info = testModel([testTensor('fc.weight', [2, 4])]);
/** The analysis methods these tests reach (opening a model, its scan); the store calls no others here. */
const analysis = fakeAnalysisClient({ open: async () => info, analyze: async () => ({ cancelled: false }) });
const runnable: ProbeModelInfo = { runnable: true, runtime: 'onnxruntime-web', layers: [{ tensor: 'fc.weight', op: 'Gemm', outChannels: 2 }] };

function storeWith(model: ProbeModelInfo): AppStore {
  const probe: ProbeClient = {
    ...idleProbeClient,
    open: async () => model,
    lowRankEffect: async () => {
      throw new Error('not used');
    },
  };
  return createAppStore({ client: analysis, referenceClient: analysis, probeClient: probe, loadUrls: async () => [], loadSample: async () => ({ files: [] }), now: () => 0 });
}

/** Server rendering reads a store's initial state (useSyncExternalStore's server snapshot): render the current one. */
const render = (store: AppStore) =>
  renderToStaticMarkup(
    <StoreProvider store={{ ...store, getInitialState: store.getState }}>
      <OutputChangePanel tensor="fc.weight" k={1} />
    </StoreProvider>,
  );

describe('OutputChangePanel', () => {
  it('a weights-only model: one line saying why', async () => {
    const store = storeWith({ runnable: false, reason: 'weights only: probes need a runnable model', layers: [] });
    await store.getState().openFiles([{ name: 'm.safetensors', blob: new Blob([]) }]);
    await store.getState().openProbeModel();
    const html = render(store);
    expect(html).toContain('Effect on outputs: not available, weights only: probes need a runnable model.');
    expect(html).not.toContain('<button');
  });

  it('without inputs the button waits and says where to choose them; a result shows its numbers', async () => {
    const store = storeWith(runnable);
    await store.getState().openFiles([{ name: 'm.onnx', blob: new Blob([]) }]);
    await store.getState().openProbeModel();
    const empty = render(store);
    expect(empty).toMatch(/<button[^>]*disabled=""[^>]*>Run the inputs with fc.weight at rank 1<\/button>/);
    expect(empty).toContain('choose an input set on the Probe page');

    const before = Float32Array.of(2, 0, 0, 2);
    const after = Float32Array.of(2, 0, 1, 0);
    const result: LowRankEffectResult = {
      layers: [{ tensor: 'fc.weight', k: 1, fullRank: 2, energyKept: 0.8, relativeError: Math.sqrt(0.2) }],
      before: { name: 'logits', dims: [2], width: 2, values: before },
      after: { name: 'logits', dims: [2], width: 2, values: after },
      change: outputChange(before, after, 2, { labels: [0, 1], classCount: 2 }),
      inputs: { source: 'builtin', n: 2 },
      edits: 0,
    };
    store.setState((s) => ({ probe: { ...s.probe, lowRankEffect: { status: 'done', layers: [{ tensor: 'fc.weight', k: 1 }], progress: null, result, error: null } } }));
    const html = render(store);
    expect(html).toContain('fc.weight at rank 1 of 2 (80.0 % of Σσ²), on 2 inputs');
    expect(html).toContain('50.0 % (1 of 2)');
    expect(html).toContain('100.0 % → 50.0 %');
    expect(html).toContain('KL(softmax(y) ‖ softmax(ŷ)), mean (nats)');
    expect(html).toContain('<svg');
  });
});
