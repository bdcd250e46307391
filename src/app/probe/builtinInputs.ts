import type { ProbeInputSpec } from '../../../workers/probeProtocol';
import { samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { STROKE_TEST_SEED, sampleInputSet } from '../../analysis/probeInputs/sampleInputs';
import { STROKE_IMAGE_SIZE } from '../../analysis/stimuli/strokeClasses';
import type { ProbeInputSet } from '../../state/slices/probeSlice';
import { rgbaDataUrl } from './thumbnails';

/** Inputs per class of the built-in stroke set, as the input panel offers it by default. */
export const BUILTIN_PER_CLASS = 20;

/** The sample's built-in labelled set (held-out seed), as the store keeps inputs: for embeds and permalinks. */
export function builtinInputSet(spec: ProbeInputSpec | undefined, perClass = BUILTIN_PER_CLASS): ProbeInputSet {
  const set = sampleInputSet(perClass, STROKE_TEST_SEED, { ...samplePreprocessing, layout: spec?.layout ?? samplePreprocessing.layout });
  return {
    source: 'builtin',
    classes: set.classes,
    labels: set.labels,
    names: set.names,
    data: set.batch.data,
    shape: set.batch.shape,
    thumbnails: set.thumbnails.map((t) => rgbaDataUrl(t, STROKE_IMAGE_SIZE, STROKE_IMAGE_SIZE)),
  };
}
