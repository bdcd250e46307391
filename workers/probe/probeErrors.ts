/**
 * The probe's coded errors (they cross the worker boundary through `toSerializedError`, which keeps `code`,
 * `remedy` and `context`).
 */

/** Stable codes of probe failures. */
export type ProbeErrorCode =
  /** The open model has no runnable graph (weights only, a graph model, no image input…), or none is open. */
  | 'PROBE_NOT_RUNNABLE'
  /** The batch's shape does not fit the model's input. */
  | 'PROBE_INPUT_SHAPE'
  /** A requested layer is not one the open model can probe. */
  | 'PROBE_NO_SUCH_LAYER'
  /** The runtime (onnxruntime-web, tfjs) failed; the message carries its text. */
  | 'PROBE_RUN_FAILED'
  /** A post-activation was asked of a layer not followed by a nonlinearity (the message says what follows it). */
  | 'PROBE_NO_ACTIVATION'
  | 'PROBE_CANCELLED'
  /** A weight edit that does not fit its tensor (a unit out of range, a kernel of the wrong size, a non-float weight). */
  | 'PROBE_BAD_EDIT'
  /** An export the model cannot have (an ONNX file of a TF.js model). */
  | 'PROBE_EXPORT_UNSUPPORTED';

export class ProbeError extends Error {
  readonly code: ProbeErrorCode;
  readonly remedy?: string;
  readonly context?: string;
  constructor(code: ProbeErrorCode, message: string, options: { remedy?: string; context?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProbeError';
    this.code = code;
    if (options.remedy !== undefined) this.remedy = options.remedy;
    if (options.context !== undefined) this.context = options.context;
  }
}

/** The text of anything a runtime threw. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A runtime failure as PROBE_RUN_FAILED, keeping probe errors (and cancellation) as they are. */
export function asRunFailure(error: unknown, what: string): Error {
  if (error instanceof ProbeError) return error;
  if (error instanceof Error && error.name === 'AnalysisCancelled') return new ProbeError('PROBE_CANCELLED', 'The probe run was cancelled.');
  return new ProbeError('PROBE_RUN_FAILED', `${what}: ${errorText(error)}`, { cause: error });
}

/** Shapes as text, e.g. `[N, 3, 48, W]`. */
export function shapeText(dims: readonly (number | string | null)[]): string {
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Load a runtime module, reporting a failure (a wasm file that does not load, a chunk that fails) as PROBE_RUN_FAILED. */
export async function loadRuntime<T>(load: () => Promise<T>, name: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new ProbeError('PROBE_RUN_FAILED', `${name} could not be loaded: ${errorText(error)}`, { cause: error, remedy: 'Reload the page; if it keeps happening, this browser may lack WebAssembly features the runtime needs.' });
  }
}
