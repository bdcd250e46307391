import type { StateCreator } from 'zustand/vanilla';
import type { LayerResult, RandomizedLayerEsd, SerializedError } from '../../../workers/protocol';
import type { AppState, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';

/**
 * The correlation-trap comparison of single layers, on demand (SCIENCE.md §2, "Randomised ESD / correlation
 * traps"; WW `randomize=True`): a layer shuffled with a seed, its ESD against the real one. The scan computes it
 * for every layer only when the `randomize` setting is on (it costs a few SVDs per layer); otherwise the layer
 * view asks for one layer here. A new model or new settings clear it (`clearTraps`).
 */

/** WeightWatcher's randomised-ESD columns, as `layerRandomization` adds them to `report.columns`. */
export const TRAP_COLUMNS = ['rand_distance', 'ww_softrank', 'max_rand_eval', 'ww_maxdist', 'rand_num_spikes', 'randomize_seed'] as const;

/** The comparison of one layer: being computed, ready, or failed (with a coded error). */
export type TrapEntry =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      /** The shuffled copy's ESD and its MP fit, in the layer's λ units. */
      readonly randomized: RandomizedLayerEsd;
      /** The columns of `TRAP_COLUMNS` that the result has. */
      readonly columns: Readonly<Partial<Record<(typeof TRAP_COLUMNS)[number], number>>>;
      /** Whether it came with the scan (the `randomize` setting) or from a request for this layer. */
      readonly source: 'scan' | 'request';
    }
  | { readonly status: 'error'; readonly error: SerializedError };

export interface TrapSlice {
  trap: {
    /** By tensor name. */
    results: Readonly<Record<string, TrapEntry>>;
  };
  /**
   * Compare one layer with a seeded shuffled copy of itself. Uses the scan's result when it has one (the
   * `randomize` setting is on); otherwise analyses that one tensor again with `randomize: true`. No-op while
   * it is loading or ready; retries after an error.
   */
  requestTrap(tensorName: string): Promise<void>;
  /** Cancel every request and forget every comparison (a new model, new settings). */
  clearTraps(): void;
}

/** The comparison a scan result already carries, or null (no `randomized`, or not an ok result). */
export function trapFromResult(result: LayerResult | null | undefined, source: 'scan' | 'request' = 'scan'): Extract<TrapEntry, { status: 'ready' }> | null {
  if (result?.status !== 'ok' || !result.randomized) return null;
  const columns: Partial<Record<(typeof TRAP_COLUMNS)[number], number>> = {};
  for (const key of TRAP_COLUMNS) {
    const value = result.report.columns[key];
    if (typeof value === 'number') columns[key] = value;
  }
  return { status: 'ready', randomized: result.randomized, columns, source };
}

/** What a finished request left: the comparison, or why there is none. */
function entryOf(result: LayerResult | null, name: string): TrapEntry {
  if (result === null) return { status: 'error', error: { name: 'TrapError', code: 'NO_RESULT', message: `The worker returned no result for "${name}".`, remedy: 'Try again.' } };
  if (result.status === 'failed') return { status: 'error', error: result.error };
  if (result.status === 'non-finite') {
    return { status: 'error', error: { name: 'TrapError', code: 'NON_FINITE', message: `"${name}" has ${result.nanCount} NaN and ${result.infCount} infinite values.` } };
  }
  return (
    trapFromResult(result, 'request') ?? {
      status: 'error',
      error: {
        name: 'TrapError',
        code: 'NOT_RANDOMIZABLE',
        message: `WeightWatcher cannot randomise "${name}" as ${result.report.definition}.`,
        remedy: 'Only dense layers and the WeightWatcher pooled conv definition have a randomised ESD.',
      },
    }
  );
}

export const createTrapSlice = (deps: StoreDeps): StateCreator<AppState, [], [], TrapSlice> => {
  /** The request in flight per tensor; a result is kept only if its request is still the current one. */
  const controllers = new Map<string, AbortController>();
  return (set, get) => {
    const put = (name: string, entry: TrapEntry | null) =>
      set((s) => {
        const results = { ...s.trap.results };
        if (entry) results[name] = entry;
        else delete results[name];
        return { trap: { ...s.trap, results } };
      });
    return {
      trap: { results: {} },

      async requestTrap(name) {
        if (!get().model.info) return;
        const existing = get().trap.results[name];
        if (existing && existing.status !== 'error') return;
        const scanned = trapFromResult(get().analysis.results[name]);
        if (scanned) {
          put(name, scanned);
          return;
        }
        const mine = new AbortController();
        controllers.set(name, mine);
        put(name, { status: 'loading' });
        // Assigned in the callback (a holder type, so TypeScript does not narrow it to null).
        let received = null as LayerResult | null;
        try {
          const { cancelled } = await deps.client.analyze([name], {
            signal: mine.signal,
            settings: { ...get().settings, randomize: true },
            onLayer: (result) => {
              if (result.tensor === name) received = result;
            },
          });
          if (controllers.get(name) !== mine) return;
          controllers.delete(name);
          put(name, cancelled ? null : entryOf(received, name));
        } catch (error) {
          if (controllers.get(name) !== mine) return;
          controllers.delete(name);
          put(name, { status: 'error', error: toSerializedError(error) });
        }
      },

      clearTraps() {
        for (const c of controllers.values()) c.abort();
        controllers.clear();
        if (Object.keys(get().trap.results).length > 0) set({ trap: { results: {} } });
      },
    };
  };
};
