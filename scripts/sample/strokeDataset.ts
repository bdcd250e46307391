/**
 * The sample CNN's training and test data: seeded stroke images from src/analysis/stimuli/strokeClasses.ts
 * (which the app can import to regenerate the very same images), split by seed so the test images are never seen
 * in training.
 */
import {
  generateStrokeSet,
  STROKE_CLASSES,
  STROKE_IMAGE_SIZE,
  STROKE_PARAMS,
  type StrokeSet,
} from '../../src/analysis/stimuli/strokeClasses';

export { STROKE_CLASSES, STROKE_IMAGE_SIZE, STROKE_PARAMS };
export type { StrokeClass, StrokeSet } from '../../src/analysis/stimuli/strokeClasses';

/** Sizes and seeds of the split. */
export const DATASET = {
  trainCount: 6000,
  trainSeed: 20240601,
  testCount: 1000,
  testSeed: 20240602,
} as const;

/** The train and test sets (classes balanced and interleaved; the trainer permutes per epoch). */
export function makeStrokeSplit(): { train: StrokeSet; test: StrokeSet } {
  return {
    train: generateStrokeSet(DATASET.trainCount, DATASET.trainSeed),
    test: generateStrokeSet(DATASET.testCount, DATASET.testSeed),
  };
}
