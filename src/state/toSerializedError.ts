import type { SerializedError } from '../../workers/protocol';
import { AnalysisError } from '../compute/analysisClient';

/** A string property of an error object, if it has one. */
function text(error: Error, key: 'code' | 'file' | 'remedy'): string | undefined {
  const value = (error as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Any thrown value as the error shape the UI shows (an Error's own `code`, `file` and `remedy` are kept). */
export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof AnalysisError) return error.toSerialized();
  if (error instanceof Error) {
    const file = text(error, 'file');
    const remedy = text(error, 'remedy');
    return { name: error.name, code: text(error, 'code') ?? 'INTERNAL', message: error.message, ...(file ? { file } : {}), ...(remedy ? { remedy } : {}) };
  }
  return { name: 'Error', code: 'INTERNAL', message: String(error) };
}
