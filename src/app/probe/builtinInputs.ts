/**
 * The stroke sample's built-in test set as the store's input set: the images, labels and preprocessing the Probe
 * page's "built-in set" gives (`sampleInputSet` on the held-out seed, the sample's preprocessing in the model's
 * layout). Embeds, permalinks and the layer view's low-rank what-if use it without visiting the Probe page first.
 */
import type { ProbeInputSpec } from '../../../workers/probeProtocol';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { STROKE_TEST_SEED, sampleInputSet } from '../../analysis/probeInputs/sampleInputs';
import { STROKE_IMAGE_SIZE } from '../../analysis/stimuli/strokeClasses';
import type { ProbeInputSet } from '../../state/slices/probeSlice';
import { rgbaDataUrl } from './thumbnails';

/** Inputs per class of the built-in stroke set, as the input panel offers it by default. */
export const BUILTIN_PER_CLASS = 20;

/** The sample's preprocessing in the model's input layout (the sample's own layout when the model states none). */
const builtinPreprocessing = (spec: ProbeInputSpec | undefined): InputPreprocessing => ({ ...samplePreprocessing, layout: spec?.layout ?? samplePreprocessing.layout });

/** The sample's built-in labelled set (held-out seed), as the store keeps inputs: for embeds and permalinks. */
export function builtinInputSet(spec: ProbeInputSpec | undefined, perClass = BUILTIN_PER_CLASS): ProbeInputSet {
  const set = sampleInputSet(perClass, STROKE_TEST_SEED, builtinPreprocessing(spec));
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

/** The built-in set (`BUILTIN_PER_CLASS` per class) and the preprocessing it was made with. */
export function builtinStrokeInputs(spec: ProbeInputSpec | undefined): { inputs: ProbeInputSet; preprocessing: InputPreprocessing } {
  return { inputs: builtinInputSet(spec), preprocessing: builtinPreprocessing(spec) };
}
