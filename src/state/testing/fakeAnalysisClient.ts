/** An analysis client for tests: each test overrides the methods it reaches, the rest stay neutral or refuse. */
import type { AnalysisClient } from '../../compute/analysisClient';

const notUsed = async (): Promise<never> => {
  throw new Error('not used');
};

/**
 * A fake `AnalysisClient` built from `overrides`. Methods not overridden: `open`, `analyze` and `vectors` throw
 * 'not used'; `diff` resolves an empty, uncancelled outcome; `exportLowRank` resolves null; `dispose` does nothing.
 * A method added to `AnalysisClient` needs a default here only, not in every test.
 */
export function fakeAnalysisClient(overrides: Partial<AnalysisClient> = {}): AnalysisClient {
  return {
    open: notUsed,
    analyze: notUsed,
    vectors: notUsed,
    async diff() {
      return { cancelled: false, notCompared: [], labels: ['', ''] as const };
    },
    async exportLowRank() {
      return null;
    },
    dispose() {},
    ...overrides,
  };
}
