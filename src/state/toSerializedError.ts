import type { SerializedError } from '../../workers/protocol';
import { AnalysisError } from '../compute/analysisClient';

/** Any thrown value as the error shape the UI shows. */
export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof AnalysisError) return error.toSerialized();
  if (error instanceof Error) return { name: error.name, code: 'INTERNAL', message: error.message };
  return { name: 'Error', code: 'INTERNAL', message: String(error) };
}
