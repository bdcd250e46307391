// Gram kernel, AssemblyScript → WebAssembly SIMD128. Built by `node scripts/kernels/buildKernels.mjs`
// into src/analysis/wasm/generated/; driven from TypeScript by src/analysis/wasm/computeGramPart.ts.
//
// C = AᵀA (or AAᵀ) in float64 from a float32 or float64 matrix A, upper block triangle only, one depth
// panel at a time (the reference is the plain-TypeScript src/analysis/linalg/gram.ts). Per panel:
//
// 1. pack*: copy the panel's slice of A into a packed float64 buffer P, block-major: Gram indices are
//    grouped in blocks of 4, and block b holds P[b][k][r] = the value of Gram index 4b + r at depth
//    k0 + k (32 bytes per depth step). Indices ≥ n are packed as zeros, so the tile kernel has no
//    remainder loops. float32 is widened exactly (f64x2.promote_low_f32x4); float64 is copied.
// 2. gramPanel: for block rows bi in [b0, b1) and block columns bj ≥ bi, the 4×4 tile
//    C[4bi..4bi+3][4bj..4bj+3] (+)= Σ_k P[bi][k][·] ⊗ P[bj][k][·], one rank-1 update per depth step:
//    4 broadcast loads × 2 vector loads feed 8 f64x2 accumulators (a GotoBLAS-style micro-kernel;
//    Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", TOMS 34(3), 2008).
//    Measured in Node 20 on Zen 3: unrolling the depth loop by 2 was ~1.5× slower (register spills).
//
// Thread safety: no globals, no data segments, no allocation, no memory.grow (the build script checks
// the compiled text for all four). Every address is a byte offset passed in; a caller writes only its
// own packed buffer and its own block rows of C, so workers can share one WebAssembly.Memory.
//
// Plain SIMD128 only (no relaxed SIMD, no FMA): each product and each sum is rounded to float64, as in
// the reference, so results differ from it only by summation order.

/** Bytes per packed depth step: 4 Gram indices × 8 bytes. */
const STEP: usize = 32;

/**
 * Pack Gram indices [g0, nPad) at depths [k0, k0 + kb) of a float32 matrix at `a` into `p`.
 * `indexStride` / `depthStride` are the element strides between consecutive Gram indices / depths:
 * (1, cols) for C = AᵀA (Gram index = column of A), (cols, 1) for C = AAᵀ (Gram index = row).
 * `n` is the number of real Gram indices; g0 is a multiple of 4 and nPad = n rounded up to 4.
 */
export function packF32(a: usize, indexStride: i32, depthStride: i32, n: i32, k0: i32, kb: i32, g0: i32, nPad: i32, p: usize): void {
  if (indexStride === 1) packF32Columns(a, depthStride, n, k0, kb, g0, nPad, p);
  else packStrided<f32>(a, indexStride, depthStride, n, k0, kb, g0, nPad, p);
}

/** `packF32` for a float64 matrix (values copied bit for bit). */
export function packF64(a: usize, indexStride: i32, depthStride: i32, n: i32, k0: i32, kb: i32, g0: i32, nPad: i32, p: usize): void {
  if (indexStride === 1) packF64Columns(a, depthStride, n, k0, kb, g0, nPad, p);
  else packStrided<f64>(a, indexStride, depthStride, n, k0, kb, g0, nPad, p);
}

/** Any strides, one value at a time: used for C = AAᵀ, where each Gram index reads along a row of A. */
function packStrided<T>(a: usize, indexStride: i32, depthStride: i32, n: i32, k0: i32, kb: i32, g0: i32, nPad: i32, p: usize): void {
  const blockBytes = <usize>kb * STEP;
  const srcStep = <usize>depthStride << alignof<T>();
  for (let g = g0; g < nPad; g += 4) {
    const dst = p + <usize>((g - g0) >> 2) * blockBytes;
    for (let r = 0; r < 4; r++) {
      const index = g + r;
      let out = dst + (<usize>r << 3);
      if (index < n) {
        let src = a + ((<usize>index * <usize>indexStride + <usize>k0 * <usize>depthStride) << alignof<T>());
        for (let k = 0; k < kb; k++) {
          store<f64>(out, <f64>load<T>(src));
          src += srcStep;
          out += STEP;
        }
      } else {
        for (let k = 0; k < kb; k++) {
          store<f64>(out, 0.0);
          out += STEP;
        }
      }
    }
  }
}

/** float32, Gram index = column (C = AᵀA): 4 adjacent columns of a row are one v128 load. */
function packF32Columns(a: usize, rowStride: i32, n: i32, k0: i32, kb: i32, g0: i32, nPad: i32, p: usize): void {
  const blockBytes = <usize>kb * STEP;
  const full = n & ~3; // columns below `full` come in complete groups of 4
  for (let k = 0; k < kb; k++) {
    const src = a + ((<usize>(k0 + k) * <usize>rowStride) << 2);
    let dst = p + <usize>k * STEP;
    let g = g0;
    for (; g < full; g += 4) {
      const v = v128.load(src + (<usize>g << 2));
      v128.store(dst, f64x2.promote_low_f32x4(v));
      v128.store(dst, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), 16);
      dst += blockBytes;
    }
    for (; g < nPad; g += 4) {
      for (let r = 0; r < 4; r++) {
        const index = g + r;
        store<f64>(dst + (<usize>r << 3), index < n ? <f64>load<f32>(src + (<usize>index << 2)) : 0.0);
      }
      dst += blockBytes;
    }
  }
}

/** float64, Gram index = column (C = AᵀA): 4 adjacent columns of a row are two v128 loads. */
function packF64Columns(a: usize, rowStride: i32, n: i32, k0: i32, kb: i32, g0: i32, nPad: i32, p: usize): void {
  const blockBytes = <usize>kb * STEP;
  const full = n & ~3;
  for (let k = 0; k < kb; k++) {
    const src = a + ((<usize>(k0 + k) * <usize>rowStride) << 3);
    let dst = p + <usize>k * STEP;
    let g = g0;
    for (; g < full; g += 4) {
      const s = src + (<usize>g << 3);
      v128.store(dst, v128.load(s));
      v128.store(dst, v128.load(s, 16), 16);
      dst += blockBytes;
    }
    for (; g < nPad; g += 4) {
      for (let r = 0; r < 4; r++) {
        const index = g + r;
        store<f64>(dst + (<usize>r << 3), index < n ? load<f64>(src + (<usize>index << 3)) : 0.0);
      }
      dst += blockBytes;
    }
  }
}

/**
 * Add one packed panel into the upper block triangle of C, for block rows [b0, b1).
 * `p` holds blocks b0 .. nPad/4 − 1 (packed with g0 = 4·b0), each `kb` depth steps deep.
 * C is nPad×nPad float64, row-major, at `c`; `accumulate` = 0 overwrites the tiles (first panel).
 */
export function gramPanel(p: usize, kb: i32, b0: i32, b1: i32, nPad: i32, c: usize, accumulate: i32): void {
  const blockCount = nPad >> 2;
  const blockBytes = <usize>kb * STEP;
  const rowBytes = <usize>nPad << 3;
  for (let bi = b0; bi < b1; bi++) {
    const pa = p + <usize>(bi - b0) * blockBytes;
    const outRow = c + <usize>(bi << 2) * rowBytes;
    for (let bj = bi; bj < blockCount; bj++) {
      tile(pa, p + <usize>(bj - b0) * blockBytes, kb, outRow + (<usize>bj << 5), rowBytes, accumulate);
    }
  }
}

/** One 4×4 tile: accumulators c<r><h> for rows r = 0..3 and column halves h = 0, 1 (f64x2 each). */
function tile(pa: usize, pb: usize, kb: i32, out: usize, rowBytes: usize, accumulate: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let x = pa;
  let y = pb;
  const end = pa + <usize>kb * STEP;
  while (x < end) {
    const y0 = v128.load(y);
    const y1 = v128.load(y, 16);
    let s = v128.load64_splat(x);
    c00 = f64x2.add(c00, f64x2.mul(s, y0));
    c01 = f64x2.add(c01, f64x2.mul(s, y1));
    s = v128.load64_splat(x, 8);
    c10 = f64x2.add(c10, f64x2.mul(s, y0));
    c11 = f64x2.add(c11, f64x2.mul(s, y1));
    s = v128.load64_splat(x, 16);
    c20 = f64x2.add(c20, f64x2.mul(s, y0));
    c21 = f64x2.add(c21, f64x2.mul(s, y1));
    s = v128.load64_splat(x, 24);
    c30 = f64x2.add(c30, f64x2.mul(s, y0));
    c31 = f64x2.add(c31, f64x2.mul(s, y1));
    x += STEP;
    y += STEP;
  }
  let o = out;
  if (accumulate) {
    v128.store(o, f64x2.add(v128.load(o), c00));
    v128.store(o, f64x2.add(v128.load(o, 16), c01), 16);
    o += rowBytes;
    v128.store(o, f64x2.add(v128.load(o), c10));
    v128.store(o, f64x2.add(v128.load(o, 16), c11), 16);
    o += rowBytes;
    v128.store(o, f64x2.add(v128.load(o), c20));
    v128.store(o, f64x2.add(v128.load(o, 16), c21), 16);
    o += rowBytes;
    v128.store(o, f64x2.add(v128.load(o), c30));
    v128.store(o, f64x2.add(v128.load(o, 16), c31), 16);
  } else {
    v128.store(o, c00);
    v128.store(o, c01, 16);
    o += rowBytes;
    v128.store(o, c10);
    v128.store(o, c11, 16);
    o += rowBytes;
    v128.store(o, c20);
    v128.store(o, c21, 16);
    o += rowBytes;
    v128.store(o, c30);
    v128.store(o, c31, 16);
  }
}
