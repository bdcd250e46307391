/** What a model without a runnable graph (a bare weights file) says when opened for probes. */
export const WEIGHTS_ONLY_REASON = 'weights only: probes need a runnable model (ONNX or a TF.js layers model.json)';
