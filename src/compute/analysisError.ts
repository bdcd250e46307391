import type { SerializedError } from '../../workers/protocol';

/** An error reported by the worker (or about it), with the stable code the UI shows. */
export class AnalysisError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly remedy?: string;
  readonly context?: string;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name === 'Error' ? 'AnalysisError' : error.name;
    this.code = error.code;
    this.file = error.file;
    this.remedy = error.remedy;
    this.context = error.context;
  }
  toSerialized(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, file: this.file, remedy: this.remedy, context: this.context };
  }
}
