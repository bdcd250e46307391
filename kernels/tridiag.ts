// Householder tridiagonalisation kernel, AssemblyScript → WebAssembly SIMD128. Built by
// `node scripts/kernels/buildKernels.mjs` into src/analysis/wasm/generated/; driven from TypeScript by
// src/analysis/wasm/tridiagWasm.ts, which also runs the QL step (src/analysis/linalg/symmetricEigenvalues.ts).
//
// T = QᵀAQ for a symmetric float64 matrix A, values only (Q is never formed). A is stored row-major
// with a leading dimension `lda` (even, so every row starts on 16 bytes) and only its lower triangle
// (column ≤ row) is read. The reduction runs from the last row up, like the plain-TypeScript reference
// `tridiagonalize` (Golub & Van Loan, "Matrix Computations", 4th ed., §8.3.1; EISPACK `tred1`): step i
// reflects the leading i×i block S so that row i becomes (0, …, 0, e[i]). With the Householder vector u
// of row i (h = ‖u‖²/2), p = Su/h, K = uᵀp/(2h) and q = p − K·u, the reflected block is S − uqᵀ − quᵀ.
//
// Two drivers share these pieces (tridiagWasm.ts picks one by size):
// * unblocked (`householderRow`, `lowerSymv`, `reflectAndNext`): per step one fused pass over the
//   block that applies the rank-2 update of step i and forms S'u' of step i − 1, as the TS reference does,
//   and in exactly its order of operations, so the two give bit-identical results. Sums that the
//   reference runs along a row run across the lanes of two rows instead (a 2×2 transpose by shuffles),
//   never split into partial sums; everything element-wise runs down the row, two at a time.
// * blocked (`panelStep`, `packPanel`, `panelUpdate`): LAPACK dsytrd/dlatrd (UPLO = 'U', transposed to
//   row-major lower). A panel of b steps only reads the stale block: step t updates its own pivot row
//   with the panel's earlier (u, q) pairs and corrects Su by −Σ_s [u_s(q_sᵀu) + q_s(u_sᵀu)]; then one
//   rank-2b update S −= Σ_t (u_t q_tᵀ + q_t u_tᵀ) applies the whole panel with a 4×4 register-tiled
//   kernel (the micro-kernel of kernels/gram.ts). This halves the memory traffic of the O(n³) part
//   (one read-only pass per step instead of read + write), which wins once the matrix leaves the cache;
//   its results equal the reference's to rounding only.
//
// Thread safety: no globals, no data segments, no allocation, no memory.grow (the build script checks
// the compiled text). Every address is a byte offset passed in.
//
// Plain SIMD128 only (no relaxed SIMD, no FMA): every product and sum is rounded to float64.

/** Bytes per packed depth step of the rank-2b update: 4 indices × 8 bytes. */
const STEP: usize = 32;

function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

function rowOf(a: usize, lda: i32, row: i32): usize {
  return a + ((<usize>row * <usize>lda) << 3);
}

function sumLanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Householder vector of row i (lower triangle, columns 0..i−1): sets d[i] = A[i, i], and with
 * x = A[i, 0..i−1] scaled by 1/Σ|x| (against overflow), g = −sign(x_last)·‖x‖, u = x − g·e_last,
 * writes u to u[0..i−1] and e[i] = Σ|x|·g, and returns h = ‖u‖²/2. When only x_last is non-zero (the row
 * is already reduced) it sets e[i] = x_last, leaves u untouched and returns 0.
 */
export function householderRow(a: usize, lda: i32, i: i32, u: usize, d: usize, e: usize): f64 {
  const row = rowOf(a, lda, i);
  const last = i - 1;
  store<f64>(at(d, i), load<f64>(at(row, i)));
  const xLast = load<f64>(at(row, last));
  let scale: f64 = 0;
  for (let k = 0; k < last; k++) scale += abs<f64>(load<f64>(at(row, k)));
  if (scale === 0) {
    store<f64>(at(e, i), xLast);
    return 0;
  }
  scale += abs<f64>(xLast);
  let h: f64 = 0;
  for (let k = 0; k <= last; k++) {
    const x = load<f64>(at(row, k)) / scale;
    store<f64>(at(u, k), x);
    h += x * x;
  }
  const f = load<f64>(at(u, last));
  const g = f >= 0 ? -sqrt<f64>(h) : sqrt<f64>(h);
  store<f64>(at(e, i), scale * g);
  store<f64>(at(u, last), f - g);
  return h - f * g;
}

/**
 * p[0..size−1] = S·u for the symmetric block S = A[0..size−1, 0..size−1] stored in its lower triangle,
 * summed in exactly the order of the TypeScript `lowerTimesVector` (so the two agree bit for bit): row j
 * in turn starts s_j = A[j, j]·u[j], adds A[j, k]·u[k] for k = 0, 1, … and sets p[j] = s_j, while each
 * A[j, k] (k < j) adds A[j, k]·u[j] to p[k]. p[j] is assigned before later rows add to it, so p needs
 * no clearing.
 *
 * SIMD without reordering: the p[k] updates run down k two at a time (element-wise, rows applied one
 * after another as in the reference). The sums s_j are sequential in k, so they run across rows instead:
 * lane 0 holds row j, lane 1 row j + 1, and each pair of row vectors is transposed with two shuffles.
 * Rows go in fours (two such lane pairs), sharing the loads and stores of u and p.
 */
export function lowerSymv(a: usize, lda: i32, size: i32, u: usize, p: usize): void {
  const rowBytes = <usize>lda << 3;
  let j = 0;
  for (; j + 4 <= size; j += 4) {
    const r0 = rowOf(a, lda, j);
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    const u0 = load<f64>(at(u, j));
    const u1 = load<f64>(at(u, j + 1));
    const u2 = load<f64>(at(u, j + 2));
    const u3 = load<f64>(at(u, j + 3));
    const v0 = f64x2.splat(u0);
    const v1 = f64x2.splat(u1);
    const v2 = f64x2.splat(u2);
    const v3 = f64x2.splat(u3);
    // (s_j, s_{j+1}) and (s_{j+2}, s_{j+3}), each started with its diagonal term.
    let s01 = f64x2.mul(f64x2.replace_lane(f64x2.splat(load<f64>(at(r0, j))), 1, load<f64>(at(r1, j + 1))), f64x2.replace_lane(v0, 1, u1));
    let s23 = f64x2.mul(f64x2.replace_lane(f64x2.splat(load<f64>(at(r2, j + 2))), 1, load<f64>(at(r3, j + 3))), f64x2.replace_lane(v2, 1, u3));
    const end = <usize>j << 3; // j is a multiple of 4: columns [0, j) come in whole pairs
    for (let o: usize = 0; o < end; o += 16) {
      const uo = u + o;
      const uk = v128.load64_splat(uo);
      const ul = v128.load64_splat(uo, 8);
      const x0 = v128.load(r0 + o);
      const x1 = v128.load(r1 + o);
      s01 = f64x2.add(s01, f64x2.mul(v128.shuffle<f64>(x0, x1, 0, 2), uk));
      s01 = f64x2.add(s01, f64x2.mul(v128.shuffle<f64>(x0, x1, 1, 3), ul));
      const x2 = v128.load(r2 + o);
      const x3 = v128.load(r3 + o);
      s23 = f64x2.add(s23, f64x2.mul(v128.shuffle<f64>(x2, x3, 0, 2), uk));
      s23 = f64x2.add(s23, f64x2.mul(v128.shuffle<f64>(x2, x3, 1, 3), ul));
      const po = p + o;
      v128.store(po, f64x2.add(f64x2.add(f64x2.add(f64x2.add(v128.load(po), f64x2.mul(x0, v0)), f64x2.mul(x1, v1)), f64x2.mul(x2, v2)), f64x2.mul(x3, v3)));
    }
    // The 4×4 diagonal block, row after row as in the reference.
    const a10 = load<f64>(at(r1, j));
    const a20 = load<f64>(at(r2, j));
    const a21 = load<f64>(at(r2, j + 1));
    const a30 = load<f64>(at(r3, j));
    const a31 = load<f64>(at(r3, j + 1));
    const a32 = load<f64>(at(r3, j + 2));
    let p0 = f64x2.extract_lane(s01, 0);
    let p1 = f64x2.extract_lane(s01, 1) + a10 * u0;
    p0 += a10 * u1;
    let p2 = f64x2.extract_lane(s23, 0) + a20 * u0 + a21 * u1;
    p0 += a20 * u2;
    p1 += a21 * u2;
    const p3 = f64x2.extract_lane(s23, 1) + a30 * u0 + a31 * u1 + a32 * u2;
    p0 += a30 * u3;
    p1 += a31 * u3;
    p2 += a32 * u3;
    store<f64>(at(p, j), p0);
    store<f64>(at(p, j + 1), p1);
    store<f64>(at(p, j + 2), p2);
    store<f64>(at(p, j + 3), p3);
  }
  for (; j < size; j++) symvRow(a, lda, j, u, p);
}

/** One row of `lowerSymv` (its sum sequential, in scalar code). */
function symvRow(a: usize, lda: i32, j: i32, u: usize, p: usize): void {
  const r = rowOf(a, lda, j);
  const uj = load<f64>(at(u, j));
  let s = load<f64>(at(r, j)) * uj;
  for (let k = 0; k < j; k++) {
    const x = load<f64>(at(r, k));
    s += x * load<f64>(at(u, k));
    store<f64>(at(p, k), load<f64>(at(p, k)) + x * uj);
  }
  store<f64>(at(p, j), s);
}

/**
 * q[0..size−1] ← p/h − K·u with K = uᵀ(p/h)/(2h), in place in p (the `tred` formulas).
 */
function formQ(u: usize, p: usize, size: i32, h: f64): void {
  let uDotP: f64 = 0;
  for (let j = 0; j < size; j++) {
    const pj = load<f64>(at(p, j)) / h;
    store<f64>(at(p, j), pj);
    uDotP += load<f64>(at(u, j)) * pj;
  }
  const halfK = uDotP / (2 * h);
  for (let j = 0; j < size; j++) store<f64>(at(p, j), load<f64>(at(p, j)) - halfK * load<f64>(at(u, j)));
}

/** Row j of the lower triangle, columns 0..count−1: A[j, k] −= x·y[k] + z·w[k]. */
function rowUpdate(r: usize, count: i32, x: f64, y: usize, z: f64, w: usize): void {
  const vx = f64x2.splat(x);
  const vz = f64x2.splat(z);
  const pairs = <usize>(count & ~1) << 3;
  for (let o: usize = 0; o < pairs; o += 16) {
    v128.store(r + o, f64x2.sub(f64x2.sub(v128.load(r + o), f64x2.mul(vx, v128.load(y + o))), f64x2.mul(vz, v128.load(w + o))));
  }
  if (count & 1) {
    const o = <usize>(count - 1) << 3;
    store<f64>(r + o, load<f64>(r + o) - x * load<f64>(y + o) - z * load<f64>(w + o));
  }
}

/**
 * One unblocked step (the loop body of the TS reference), for the block rows/columns 0..last:
 * p (= S·u, unscaled, from `lowerSymv` or the previous step) becomes q; row `last` gets the rank-2 update
 * and yields the next Householder vector (written to nextU, with d[last], e[last]); then every row
 * j < last gets its update and, in the same pass, its share of nextP = S'·nextU.
 *
 * @returns The next step's h (0 when row `last` was already reduced, or when last = 0).
 */
export function reflectAndNext(a: usize, lda: i32, last: i32, u: usize, p: usize, h: f64, nextU: usize, nextP: usize, d: usize, e: usize): f64 {
  formQ(u, p, last + 1, h);
  rowUpdate(rowOf(a, lda, last), last + 1, load<f64>(at(u, last)), p, load<f64>(at(p, last)), u);
  if (last === 0) return 0;
  const nextH = householderRow(a, lda, last, nextU, d, e);
  if (nextH > 0) {
    fusedUpdateSymv(a, lda, last, u, p, nextU, nextP);
  } else {
    for (let j = 0; j < last; j++) rowUpdate(rowOf(a, lda, j), j + 1, load<f64>(at(u, j)), p, load<f64>(at(p, j)), u);
  }
  return nextH;
}

/**
 * Rows 0..size−1: A[j, k] −= u[j]·q[k] + q[j]·u[k] (k ≤ j), and nextP = (updated S)·nextU, one pass, in
 * the order of the TypeScript `updateRowTimesVector` (bit for bit): row j sums s_j = Σ_{k<j} A'[j, k]·nextU[k]
 * sequentially, adds each A'[j, k]·nextU[j] to nextP[k], and sets nextP[j] = s_j + A'[j, j]·nextU[j].
 * Rows go in pairs; the sums run across the pair's lanes (as in `lowerSymv`), everything else down k.
 */
function fusedUpdateSymv(a: usize, lda: i32, size: i32, u: usize, q: usize, nu: usize, np: usize): void {
  const rowBytes = <usize>lda << 3;
  let j = 0;
  for (; j + 2 <= size; j += 2) {
    const r0 = rowOf(a, lda, j);
    const r1 = r0 + rowBytes;
    const u0 = load<f64>(at(u, j));
    const u1 = load<f64>(at(u, j + 1));
    const q0 = load<f64>(at(q, j));
    const q1 = load<f64>(at(q, j + 1));
    const n0 = load<f64>(at(nu, j));
    const n1 = load<f64>(at(nu, j + 1));
    const vu0 = f64x2.splat(u0);
    const vu1 = f64x2.splat(u1);
    const vq0 = f64x2.splat(q0);
    const vq1 = f64x2.splat(q1);
    const vn0 = f64x2.splat(n0);
    const vn1 = f64x2.splat(n1);
    let s01 = f64x2.splat(0); // (s_j, s_{j+1})
    const end = <usize>j << 3; // j even: no odd tail
    for (let o: usize = 0; o < end; o += 16) {
      const uk = v128.load(u + o);
      const qk = v128.load(q + o);
      const x0 = f64x2.sub(f64x2.sub(v128.load(r0 + o), f64x2.mul(vu0, qk)), f64x2.mul(vq0, uk));
      v128.store(r0 + o, x0);
      const x1 = f64x2.sub(f64x2.sub(v128.load(r1 + o), f64x2.mul(vu1, qk)), f64x2.mul(vq1, uk));
      v128.store(r1 + o, x1);
      const nuo = nu + o;
      s01 = f64x2.add(s01, f64x2.mul(v128.shuffle<f64>(x0, x1, 0, 2), v128.load64_splat(nuo)));
      s01 = f64x2.add(s01, f64x2.mul(v128.shuffle<f64>(x0, x1, 1, 3), v128.load64_splat(nuo, 8)));
      const npo = np + o;
      v128.store(npo, f64x2.add(f64x2.add(v128.load(npo), f64x2.mul(x0, vn0)), f64x2.mul(x1, vn1)));
    }
    // The 2×2 diagonal block: A[j, j], A[j+1, j], A[j+1, j+1], in the reference's order.
    const d0 = load<f64>(at(r0, j)) - 2 * u0 * q0;
    store<f64>(at(r0, j), d0);
    const x10 = load<f64>(at(r1, j)) - u1 * q0 - q1 * u0;
    store<f64>(at(r1, j), x10);
    const d1 = load<f64>(at(r1, j + 1)) - 2 * u1 * q1;
    store<f64>(at(r1, j + 1), d1);
    store<f64>(at(np, j), f64x2.extract_lane(s01, 0) + d0 * n0 + x10 * n1);
    store<f64>(at(np, j + 1), f64x2.extract_lane(s01, 1) + x10 * n0 + d1 * n1);
  }
  if (j < size) {
    // One row left (j even): updates down k, its sum sequential through the lanes.
    const r0 = rowOf(a, lda, j);
    const u0 = load<f64>(at(u, j));
    const q0 = load<f64>(at(q, j));
    const n0 = load<f64>(at(nu, j));
    const vu0 = f64x2.splat(u0);
    const vq0 = f64x2.splat(q0);
    const vn0 = f64x2.splat(n0);
    let s: f64 = 0;
    const end = <usize>j << 3;
    for (let o: usize = 0; o < end; o += 16) {
      const x0 = f64x2.sub(f64x2.sub(v128.load(r0 + o), f64x2.mul(vu0, v128.load(q + o))), f64x2.mul(vq0, v128.load(u + o)));
      v128.store(r0 + o, x0);
      s += f64x2.extract_lane(x0, 0) * load<f64>(nu + o);
      s += f64x2.extract_lane(x0, 1) * load<f64>(nu + o, 8);
      v128.store(np + o, f64x2.add(v128.load(np + o), f64x2.mul(x0, vn0)));
    }
    const d0 = load<f64>(at(r0, j)) - 2 * u0 * q0;
    store<f64>(at(r0, j), d0);
    store<f64>(at(np, j), s + d0 * n0);
  }
}

/** x·y over indices 0..count−1. */
function dot(x: usize, y: usize, count: i32): f64 {
  let s = f64x2.splat(0);
  const pairs = <usize>(count & ~1) << 3;
  for (let o: usize = 0; o < pairs; o += 16) s = f64x2.add(s, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  let sum = sumLanes(s);
  if (count & 1) sum += load<f64>(at(x, count - 1)) * load<f64>(at(y, count - 1));
  return sum;
}

/**
 * Step t of a panel (blocked driver), pivot row i: the panel's vectors are rows of `panelU` and
 * `panelQ` (vector s at byte offset s·panelStride·8); steps 0..t−1 of this panel have not been applied
 * to A yet.
 * 1. Row i: A[i, 0..i] −= Σ_{s<t} (u_s[i]·q_s[0..i] + q_s[i]·u_s[0..i]).
 * 2. u_t, h from row i (`householderRow`); a reduced row gives u_t = q_t = 0.
 * 3. p = S_stale·u_t (`lowerSymv` on rows 0..i−1) − Σ_{s<t} [u_s(q_sᵀu_t) + q_s(u_sᵀu_t)], which is
 *    S_current·u_t; then q_t = p/h − K·u_t (`formQ`), stored in panelQ row t.
 *
 * @returns h (0 for an already reduced row).
 */
export function panelStep(a: usize, lda: i32, i: i32, t: i32, panelU: usize, panelQ: usize, panelStride: i32, d: usize, e: usize): f64 {
  const vectorBytes = <usize>panelStride << 3;
  const row = rowOf(a, lda, i);
  for (let s = 0; s < t; s++) {
    const us = panelU + <usize>s * vectorBytes;
    const qs = panelQ + <usize>s * vectorBytes;
    rowUpdate(row, i + 1, load<f64>(at(us, i)), qs, load<f64>(at(qs, i)), us);
  }
  const u = panelU + <usize>t * vectorBytes;
  const p = panelQ + <usize>t * vectorBytes;
  const h = householderRow(a, lda, i, u, d, e);
  if (h === 0) {
    memory.fill(u, 0, <usize>i << 3);
    memory.fill(p, 0, <usize>i << 3);
    return 0;
  }
  lowerSymv(a, lda, i, u, p);
  for (let s = 0; s < t; s++) {
    const us = panelU + <usize>s * vectorBytes;
    const qs = panelQ + <usize>s * vectorBytes;
    // p −= u_s·(q_sᵀu) + q_s·(u_sᵀu), written as rowUpdate's A −= x·y + z·w on the vector p.
    rowUpdate(p, i, dot(qs, u, i), us, dot(us, u, i), qs);
  }
  formQ(u, p, i, h);
  return h;
}

/**
 * Pack the panel's `steps` vector pairs for the rank-2b update of the leading size×size block:
 * two block-major buffers (as kernels/gram.ts: indices in blocks of 4, block b holds X[b][k][r] =
 * the value of index 4b + r at depth k, 32 bytes per depth step), depth 2·steps:
 *   left[x][2t] = u_t[x], left[x][2t+1] = q_t[x];  right[x][2t] = q_t[x], right[x][2t+1] = u_t[x],
 * so that Σ_k left[r][k]·right[c][k] = Σ_t (u_t[r]q_t[c] + q_t[r]u_t[c]). Indices ≥ size are zero.
 */
export function packPanel(panelU: usize, panelQ: usize, panelStride: i32, steps: i32, size: i32, left: usize, right: usize): void {
  const vectorBytes = <usize>panelStride << 3;
  const depth = steps << 1;
  const blockBytes = <usize>depth * STEP;
  const sizePad = (size + 3) & ~3;
  for (let x = 0; x < sizePad; x++) {
    const offset = <usize>(x >> 2) * blockBytes + (<usize>(x & 3) << 3);
    let l = left + offset;
    let r = right + offset;
    if (x < size) {
      for (let t = 0; t < steps; t++) {
        const ut = load<f64>(at(panelU + <usize>t * vectorBytes, x));
        const qt = load<f64>(at(panelQ + <usize>t * vectorBytes, x));
        store<f64>(l, ut);
        store<f64>(l + STEP, qt);
        store<f64>(r, qt);
        store<f64>(r + STEP, ut);
        l += 2 * STEP;
        r += 2 * STEP;
      }
    } else {
      for (let k = 0; k < depth; k++) {
        store<f64>(l, 0.0);
        store<f64>(r, 0.0);
        l += STEP;
        r += STEP;
      }
    }
  }
}

/**
 * The rank-2b update A[r, c] −= Σ_k left[r][k]·right[c][k] on block rows [b0, b1) of the lower block
 * triangle (block columns 0..bi). Diagonal tiles also write their upper half, which lies in the upper
 * triangle of A and is never read; rows and columns past the block are multiplied by packed zeros.
 */
export function panelUpdate(a: usize, lda: i32, left: usize, right: usize, depth: i32, b0: i32, b1: i32): void {
  const blockBytes = <usize>depth * STEP;
  const rowBytes = <usize>lda << 3;
  for (let bi = b0; bi < b1; bi++) {
    const pa = left + <usize>bi * blockBytes;
    const outRow = rowOf(a, lda, bi << 2);
    for (let bj = 0; bj <= bi; bj++) {
      subtractTile(pa, right + <usize>bj * blockBytes, depth, outRow + (<usize>bj << 5), rowBytes);
    }
  }
}

/** One 4×4 tile: accumulators c<r><h> for rows r = 0..3 and column halves h = 0, 1 (f64x2 each). */
function subtractTile(pa: usize, pb: usize, depth: i32, out: usize, rowBytes: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let x = pa;
  let y = pb;
  const end = pa + <usize>depth * STEP;
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
  v128.store(o, f64x2.sub(v128.load(o), c00));
  v128.store(o, f64x2.sub(v128.load(o, 16), c01), 16);
  o += rowBytes;
  v128.store(o, f64x2.sub(v128.load(o), c10));
  v128.store(o, f64x2.sub(v128.load(o, 16), c11), 16);
  o += rowBytes;
  v128.store(o, f64x2.sub(v128.load(o), c20));
  v128.store(o, f64x2.sub(v128.load(o, 16), c21), 16);
  o += rowBytes;
  v128.store(o, f64x2.sub(v128.load(o), c30));
  v128.store(o, f64x2.sub(v128.load(o, 16), c31), 16);
}
