/**
 * Cooperative cancellation for the long numeric loops in `src/analysis`.
 *
 * The caller (a worker) passes a `ShouldCancel` callback, typically reading a shared Int32 flag with
 * `Atomics.load`. Loops call it every few milliseconds of work (once per row block or per reduction
 * step) and throw `AnalysisCancelled`, which unwinds the computation without producing a result.
 */

/** Returns `true` once the caller wants the computation to stop. Must be cheap: it is polled often. */
export type ShouldCancel = () => boolean;

/** Thrown when a `ShouldCancel` callback asked a computation to stop. An expected outcome, not a bug. */
export class AnalysisCancelled extends Error {
  /** Stable code carried across the worker boundary. */
  readonly code = 'CANCELLED';

  constructor(message = 'The analysis was cancelled.') {
    super(message);
    this.name = 'AnalysisCancelled';
  }
}

/**
 * Throw `AnalysisCancelled` if `shouldCancel` is given and returns `true`; otherwise do nothing.
 * Call at natural checkpoints of a loop (once per block), never per element.
 */
export function throwIfCancelled(shouldCancel: ShouldCancel | undefined): void {
  if (shouldCancel !== undefined && shouldCancel()) throw new AnalysisCancelled();
}
