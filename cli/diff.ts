/**
 * `analyze --diff a b`: what changed from model A to model B, layer by layer (issue 9; fine-tune vs base,
 * checkpoint vs init). For every dense or conv weight both have with the same name and shape, with W the matrix as
 * stored (dense) or the unfold matrix c_out × c_in·kh·kw (conv, SCIENCE.md §1):
 * - rel_change = ‖W_b − W_a‖_F / ‖W_a‖_F;
 * - the spectrum of ΔW = W_b − W_a: delta_sv_max, delta_stable_rank = Σσ²/σ₁², delta_effective_rank (entropy
 *   effective rank), delta_energy_rank_90 / _99 (k keeping 90 / 99 % of Σσ²), delta_matrix_rank: the σ of ΔW above
 *   the rounding floor of the stored weights, max(σ₁(W_a), σ₁(W_b))·max(N, M)·ε with ε of their dtype (2⁻²³ when
 *   either is float32 or narrower, else 2⁻⁵²): a difference of two float32 matrices carries noise of that size;
 * - the alignment of the top-k left singular subspaces of W_a and W_b: subspace_cos2 = ‖U_aᵀU_b‖²_F / k and the
 *   largest principal angle in degrees (Björck & Golub 1973; k = --k, default 10).
 * Same readers and linear algebra as the app; one layer in memory at a time.
 */
import { basename } from 'node:path';
import { matchLayers, relativeChange, deltaMatrix, subspaceAlignment } from '../src/analysis/checkpoints';
import { singularValues } from '../src/analysis/linalg/singularValues';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { effectiveRank, energyRank } from '../src/analysis/metrics/beyondWw';
import { unfoldConvKernel } from '../src/analysis/profiles';
import { openModel } from '../src/formats/registry';
import type { Model, TensorRef } from '../src/model/types';
import type { LayerRecord } from '../workers/layerRecords';
import { openFiles } from './nodeFiles';

const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;

/** The matrix a tensor's change is measured on, or null for tensors that are not dense or conv weights. */
async function matrixOf(ref: TensorRef): Promise<{ data: Float32Array | Float64Array; rows: number; cols: number } | null> {
  if (ref.kind === 'dense' && ref.shape.length === 2) {
    const [rows = 0, cols = 0] = ref.shape;
    return { data: await ref.read(), rows, cols };
  }
  if (ref.kind === 'conv2d' && ref.shape.length === 4) {
    const { data, rows, cols } = unfoldConvKernel(await ref.read(), ref.shape, ref.layout ?? 'OIHW');
    return { data, rows, cols };
  }
  return null;
}

/** One record per compared layer, and the layers that could not be compared. */
export async function diffModels(
  pathA: string,
  pathB: string,
  k: number,
  linalg: LinalgBackend,
  onProgress: (text: string) => void,
): Promise<{ records: LayerRecord[]; notCompared: { name: string; detail: string }[] }> {
  const a = await openFiles([pathA]);
  const b = await openFiles([pathB]);
  let ma: Model | null = null;
  let mb: Model | null = null;
  try {
    ma = await openModel(a.files);
    mb = await openModel(b.files);
    const weights = (m: Model) => m.tensors.filter((t) => t.kind === 'dense' || t.kind === 'conv2d').map((t) => ({ name: t.name, shape: t.shape }));
    const match = matchLayers([weights(ma), weights(mb)], [basename(pathA), basename(pathB)]);
    const byName = (m: Model) => new Map(m.tensors.map((t) => [t.name, t]));
    const ta = byName(ma);
    const tb = byName(mb);
    const records: LayerRecord[] = [];
    for (const [i, { name, shape }] of match.matched.entries()) {
      onProgress(`[${i + 1}/${match.matched.length}] ${name}`);
      const wa = await matrixOf(ta.get(name) as TensorRef);
      const wb = await matrixOf(tb.get(name) as TensorRef);
      if (!wa || !wb) continue;
      const delta = deltaMatrix(wa.data, wb.data);
      const sv = singularValues(delta, wa.rows, wa.cols, undefined, linalg);
      const s1 = sv[0] ?? 0;
      let sumSq = 0;
      for (const s of sv) sumSq += s * s;
      const align = subspaceAlignment(wa.data, wb.data, wa.rows, wa.cols, Math.min(k, wa.rows, wa.cols), { linalg });
      const stored64 = (name: string, m: Map<string, TensorRef>) => /64/.test(String(m.get(name)?.dtype ?? ''));
      const eps = stored64(name, ta) && stored64(name, tb) ? EPS64 : EPS32;
      const floor = Math.max(align.sigmaA[0] ?? 0, align.sigmaB[0] ?? 0) * Math.max(wa.rows, wa.cols) * eps;
      records.push({
        name,
        shape: shape.join('x'),
        N: Math.max(wa.rows, wa.cols),
        M: Math.min(wa.rows, wa.cols),
        rel_change: relativeChange(wa.data, wb.data),
        delta_sv_max: s1,
        delta_stable_rank: s1 > 0 ? sumSq / (s1 * s1) : 0,
        delta_effective_rank: s1 > 0 ? effectiveRank(sv) : 0,
        delta_energy_rank_90: s1 > 0 ? energyRank(sv, 0.9) : 0,
        delta_energy_rank_99: s1 > 0 ? energyRank(sv, 0.99) : 0,
        delta_matrix_rank: sv.filter((s) => s > floor).length,
        subspace_k: align.k,
        subspace_cos2: align.meanCos2,
        max_principal_angle_deg: align.angles.length > 0 ? ((align.angles[align.angles.length - 1] as number) * 180) / Math.PI : 0,
      });
    }
    return { records, notCompared: match.mismatches.map((m) => ({ name: m.name, detail: m.detail })) };
  } finally {
    ma?.dispose?.();
    mb?.dispose?.();
    await a.close();
    await b.close();
  }
}
