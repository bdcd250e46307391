/**
 * The stroke sample's built-in test set as the store's input set, for running the low-rank what-if from the layer
 * view without visiting the Probe page first: the same images, labels and preprocessing the Probe page's "built-in
 * set" gives (`sampleInputSet` on the held-out seed, 20 per class, the sample's preprocessing in the model's layout).
 */
import type { ProbeInputSpec } from '../../../workers/probeProtocol';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { STROKE_TEST_SEED, sampleInputSet } from '../../analysis/probeInputs/sampleInputs';
import { STROKE_IMAGE_SIZE } from '../../analysis/stimuli/strokeClasses';
import type { ProbeInputSet } from '../../state/slices/probeSlice';
import { rgbaDataUrl } from '../probe/thumbnails';

/** Images per class of the built-in set (the Probe page's default). */
export const BUILTIN_PER_CLASS = 20;

/** The built-in set and the preprocessing it was made with. */
export function builtinStrokeInputs(spec: ProbeInputSpec | undefined): { inputs: ProbeInputSet; preprocessing: InputPreprocessing } {
  const preprocessing: InputPreprocessing = { ...samplePreprocessing, layout: spec?.layout ?? samplePreprocessing.layout };
  const set = sampleInputSet(BUILTIN_PER_CLASS, STROKE_TEST_SEED, preprocessing);
  return {
    preprocessing,
    inputs: {
      source: 'builtin',
      classes: set.classes,
      labels: set.labels,
      names: set.names,
      data: set.batch.data,
      shape: set.batch.shape,
      thumbnails: set.thumbnails.map((rgba) => rgbaDataUrl(rgba, STROKE_IMAGE_SIZE, STROKE_IMAGE_SIZE)),
    },
  };
}
