import type { SerializedError } from './protocol';

/**
 * Turn anything thrown into a structured-clone-safe error. Errors that carry a `code` (FormatError,
 * AnalysisCancelled) keep it; anything else is reported as an internal error with its message.
 */
export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; file?: unknown; remedy?: unknown; context?: unknown };
    const code =
      typeof e.code === 'string' ? e.code : e.name === 'AnalysisCancelled' ? 'CANCELLED' : e.name === 'RangeError' ? 'ANALYSIS_FAILED' : 'INTERNAL';
    return {
      name: e.name,
      code,
      message: e.message,
      ...(typeof e.file === 'string' ? { file: e.file } : {}),
      ...(typeof e.remedy === 'string' ? { remedy: e.remedy } : {}),
      ...(typeof e.context === 'string' ? { context: e.context } : {}),
    };
  }
  return { name: 'Error', code: 'INTERNAL', message: String(error) };
}
