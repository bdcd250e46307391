/**
 * File names of ONNX models and of their external data files. The data file of a model is named by its
 * exporter: `model.onnx.data` (PyTorch ≥ 2.x, onnxruntime-genai), `model.onnx_data` and `model.onnx_data_1`
 * (Hugging Face Optimum, transformers.js), `weights.pb` (older exporters), or anything else (`onnx.save`
 * takes any `location`; per-tensor files are named after their tensors).
 */

/** Whether a name is an ONNX model's (`.onnx`). */
export function isOnnxModelName(name: string): boolean {
  return name.toLowerCase().endsWith('.onnx');
}

/**
 * Whether a name is recognisably an ONNX external data file: `*.onnx.data`, `*.onnx_data`, `*.onnx_data_N`,
 * `*.onnxdata`, `*.onnx.bin`, any `*.data`, or `weights.pb`. A plain `.bin` is not claimed (TF.js weight
 * shards use it); a data file with another name is still found when the registry passes it to `open`.
 */
export function isOnnxDataName(name: string): boolean {
  const lower = name.toLowerCase();
  return /\.(onnx[._]?data(_\d+)?|onnx\.bin|data)$/.test(lower) || lower === 'weights.pb';
}
