/**
 * A plain-TypeScript forward pass of the sample CNN from its exported PyTorch-layout tensors (OIHW convs, [out, in]
 * dense layers, (c, h, w) flatten order). The training script compares it with the TF.js model's predictions, which
 * proves the safetensors export is a faithful PyTorch state_dict, not just a bag of correctly shaped arrays.
 */
import type { TensorToWrite } from '../../src/formats/safetensors/writeSafetensors';

/** A C × H × W feature map, row-major per channel. */
interface FeatureMap {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly data: Float64Array;
}

function tensor(tensors: readonly TensorToWrite[], name: string): TensorToWrite {
  const t = tensors.find((x) => x.name === name);
  if (t === undefined) throw new Error(`referenceForward: no tensor ${name}`);
  return t;
}

/** Conv2d, stride 1, zero padding k//2 (PyTorch `padding=k//2`, = TF 'same' for odd k), then ReLU. */
function convRelu(x: FeatureMap, weight: TensorToWrite, bias: TensorToWrite): FeatureMap {
  const [co = 0, ci = 0, kh = 0, kw = 0] = weight.shape;
  if (ci !== x.c) throw new Error(`conv: input has ${x.c} channels, kernel expects ${ci}`);
  const ph = Math.floor(kh / 2);
  const pw = Math.floor(kw / 2);
  const out = new Float64Array(co * x.h * x.w);
  for (let o = 0; o < co; o++) {
    for (let i = 0; i < x.h; i++) {
      for (let j = 0; j < x.w; j++) {
        let s = bias.data[o] ?? 0;
        for (let c = 0; c < ci; c++) {
          for (let p = 0; p < kh; p++) {
            const r = i + p - ph;
            if (r < 0 || r >= x.h) continue;
            for (let q = 0; q < kw; q++) {
              const col = j + q - pw;
              if (col < 0 || col >= x.w) continue;
              s += (weight.data[((o * ci + c) * kh + p) * kw + q] ?? 0) * (x.data[(c * x.h + r) * x.w + col] ?? 0);
            }
          }
        }
        out[(o * x.h + i) * x.w + j] = Math.max(0, s);
      }
    }
  }
  return { c: co, h: x.h, w: x.w, data: out };
}

/** 2 × 2 max pooling, stride 2. */
function maxPool2(x: FeatureMap): FeatureMap {
  const h = Math.floor(x.h / 2);
  const w = Math.floor(x.w / 2);
  const out = new Float64Array(x.c * h * w);
  for (let c = 0; c < x.c; c++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let m = -Infinity;
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) m = Math.max(m, x.data[(c * x.h + 2 * i + a) * x.w + 2 * j + b] ?? -Infinity);
        }
        out[(c * h + i) * w + j] = m;
      }
    }
  }
  return { c: x.c, h, w, data: out };
}

/** y = W x + b with W [out, in]; optional ReLU. */
function dense(x: Float64Array, weight: TensorToWrite, bias: TensorToWrite, relu: boolean): Float64Array {
  const [outSize = 0, inSize = 0] = weight.shape;
  if (inSize !== x.length) throw new Error(`dense: input has ${x.length} values, weight expects ${inSize}`);
  const y = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let s = bias.data[o] ?? 0;
    for (let i = 0; i < inSize; i++) s += (weight.data[o * inSize + i] ?? 0) * (x[i] ?? 0);
    y[o] = relu ? Math.max(0, s) : s;
  }
  return y;
}

/** Class probabilities for one size × size grey image (ink 1 on 0), from PyTorch-layout tensors. */
export function referenceForward(tensors: readonly TensorToWrite[], image: Float32Array, size: number): Float64Array {
  let x: FeatureMap = { c: 1, h: size, w: size, data: Float64Array.from(image) };
  for (const layer of ['conv1', 'conv2', 'conv3']) {
    x = maxPool2(convRelu(x, tensor(tensors, `${layer}.weight`), tensor(tensors, `${layer}.bias`)));
  }
  const hidden = dense(x.data, tensor(tensors, 'fc1.weight'), tensor(tensors, 'fc1.bias'), true); // (c, h, w) flatten
  const logits = dense(hidden, tensor(tensors, 'fc2.weight'), tensor(tensors, 'fc2.bias'), false);
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / total);
}
