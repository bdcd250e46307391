import type { StudySlice } from '../../state/slices/studySlice';
import type { LayerRecord } from '../../../workers/layerRecords';
import { layerRecord } from '../../../workers/layerRecords';

/**
 * The study as records, one per checkpoint and matched layer, in study order: `checkpoint`, `step`, then the same
 * record as a single model's export (`layerRecord`), so the columns match `npm run analyze -- --checkpoints --csv`.
 */
export function studyRecords(study: Pick<StudySlice['study'], 'checkpoints' | 'layers' | 'results'>): LayerRecord[] {
  return study.checkpoints.flatMap((c) =>
    study.layers.flatMap((layer) => {
      const r = study.results[c.name]?.[layer];
      const tensor = c.info.tensors.find((t) => t.name === layer);
      return r && tensor ? [{ checkpoint: c.name, step: c.step, ...layerRecord(tensor, r) }] : [];
    }),
  );
}
