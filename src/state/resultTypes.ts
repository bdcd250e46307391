/** The analysis result types the views draw, re-exported so views need not know the worker protocol. */
export type { LayerResult, SpectrumResult, SerializedError } from '../../workers/protocol';
