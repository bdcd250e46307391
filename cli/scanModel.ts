/** Scan every analysable tensor of an opened model, one after another, into output records. */
import { notAnalysedReason } from '../src/model/analysable';
import type { Model, TensorRef } from '../src/model/types';
import type { LayerResult } from '../workers/protocol';
import { scanTensor } from '../workers/scanTensor';
import type { AnalyzeArgs } from './args';
import type { LayerRecord } from './formatRecords';

/** What a scan prints: one record per analysed layer, plus notes on what was skipped. */
export interface ScanOutput {
  readonly layers: LayerRecord[];
  readonly skipped: { name: string; reason: string }[];
  readonly notes: string[];
}

/** The record of one scanned tensor (WeightWatcher column names where WW has the quantity). */
export function layerRecord(ref: TensorRef, result: LayerResult): LayerRecord {
  const base = { name: ref.name, shape: ref.shape.join('x'), dtype: ref.dtype, kind: ref.kind, layout: ref.layout ?? null };
  if (result.status === 'non-finite') return { ...base, status: 'non-finite', nan_count: result.nanCount, inf_count: result.infCount };
  if (result.status === 'failed') return { ...base, status: 'failed', error: `${result.error.code ?? ''} ${result.error.message}`.trim() };
  const s = result.spectrum;
  const sv = s.singularValues;
  return {
    ...base,
    status: 'ok',
    definition: s.definition,
    ...(s.operatorInputSize !== undefined ? { operator_input_size: s.operatorInputSize } : {}),
    N: Math.max(s.rows, s.cols),
    M: Math.min(s.rows, s.cols),
    rf: s.matrixCount,
    num_evals: sv.length,
    sv_max: sv[0] ?? 0,
    sv_min: sv[sv.length - 1] ?? 0,
    frobenius_norm_sq: s.frobeniusNormSq,
  };
}

/**
 * Scan the model's analysable tensors in order.
 * @param onProgress called before each tensor (for a progress line on stderr)
 */
export async function scanModel(
  model: Model,
  args: AnalyzeArgs,
  onProgress: (done: number, total: number, name: string) => void = () => {},
): Promise<ScanOutput> {
  const skipped = model.tensors.flatMap((t) => {
    const reason = notAnalysedReason(t);
    return reason === null ? [] : [{ name: t.name, reason }];
  });
  const todo = model.tensors.filter((t) => notAnalysedReason(t) === null);
  const layers: LayerRecord[] = [];
  for (const [i, ref] of todo.entries()) {
    onProgress(i, todo.length, ref.name);
    layers.push(layerRecord(ref, await scanTensor(ref, { conv: args.conv, operatorInputSize: args.operatorInputSize })));
  }
  const notes = skipped.length > 0 ? [`${skipped.length} tensors not analysed (1-D, non-float or no matrix definition)`] : [];
  return { layers, skipped, notes };
}
