/**
 * The sample model's weights in PyTorch layout, for the safetensors files.
 *
 * TF.js stores a conv kernel as HWIO [kh, kw, c_in, c_out] and a dense kernel as [in, out]; PyTorch (and ONNX) use
 * OIHW [c_out, c_in, kh, kw] and [out, in]. One more difference matters for exact equivalence: TF flattens the
 * last feature map N×H×W×C in (h, w, c) order, PyTorch flattens N×C×H×W in (c, h, w) order. The columns of
 * fc1.weight are permuted to PyTorch's order, so the exported tensors are the state_dict of the equivalent PyTorch
 * module (Conv2d(padding=k//2) → ReLU → MaxPool2d(2) ×3 → Flatten → Linear → ReLU → Linear → softmax).
 */
import type { TensorToWrite } from '../../src/formats/safetensors/writeSafetensors';

/** HWIO [kh, kw, ci, co] → OIHW [co, ci, kh, kw]. */
export function hwioToOihw(data: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = data[((h * kw + w) * ci + i) * co + o] ?? NaN;
      }
    }
  }
  return out;
}

/**
 * Dense kernel [in, out] → [out, in]. If `flattenFrom` = [H, W, C] is given, the `in` axis is a TF flatten of an
 * H×W×C map and is reordered to PyTorch's (c, h, w) flatten order at the same time.
 */
export function denseToOutIn(
  data: Float32Array,
  inSize: number,
  outSize: number,
  flattenFrom?: readonly [number, number, number],
): Float32Array {
  const out = new Float32Array(data.length);
  const [fh, fw, fc] = flattenFrom ?? [1, 1, inSize];
  if (fh * fw * fc !== inSize) throw new RangeError(`denseToOutIn: ${fh}×${fw}×${fc} ≠ ${inSize}`);
  for (let h = 0; h < fh; h++) {
    for (let w = 0; w < fw; w++) {
      for (let c = 0; c < fc; c++) {
        const tfIndex = (h * fw + w) * fc + c; // TF flatten order (h, w, c)
        const ptIndex = (c * fh + h) * fw + w; // PyTorch flatten order (c, h, w)
        for (let o = 0; o < outSize; o++) out[o * inSize + ptIndex] = data[tfIndex * outSize + o] ?? NaN;
      }
    }
  }
  return out;
}

/** A layer's TF.js weights: kernel (with its TF shape) and bias. */
export interface TfLayerWeights {
  readonly name: string;
  readonly kind: 'conv' | 'dense';
  readonly kernel: Float32Array;
  readonly kernelShape: readonly number[];
  readonly bias: Float32Array;
  /** For a dense layer fed by a Flatten: the [H, W, C] shape that was flattened. */
  readonly flattenFrom?: readonly [number, number, number];
}

/** `<layer>.weight` and `<layer>.bias` tensors in PyTorch layout, in layer order. */
export function toPytorchTensors(layers: readonly TfLayerWeights[]): TensorToWrite[] {
  const tensors: TensorToWrite[] = [];
  for (const l of layers) {
    if (l.kind === 'conv') {
      const [kh = 0, kw = 0, ci = 0, co = 0] = l.kernelShape;
      tensors.push({ name: `${l.name}.weight`, dtype: 'F32', shape: [co, ci, kh, kw], data: hwioToOihw(l.kernel, kh, kw, ci, co) });
    } else {
      const [inSize = 0, outSize = 0] = l.kernelShape;
      tensors.push({
        name: `${l.name}.weight`,
        dtype: 'F32',
        shape: [outSize, inSize],
        data: denseToOutIn(l.kernel, inSize, outSize, l.flattenFrom),
      });
    }
    tensors.push({ name: `${l.name}.bias`, dtype: 'F32', shape: [l.bias.length], data: l.bias });
  }
  return tensors;
}
