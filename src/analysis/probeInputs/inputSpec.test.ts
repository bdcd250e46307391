import { describe, expect, it } from 'vitest';
import { applyPreset, checkPreprocessing, defaultPreprocessing, exampleShape, presetOf, samplePreprocessing, withChannels } from './inputSpec';
import samples from '../../../public/samples/samples.json';

describe('defaultPreprocessing', () => {
  it('takes size, channels and layout from the spec, else 224 × 224 × 3 NCHW, values in [0, 1]', () => {
    expect(defaultPreprocessing(undefined)).toEqual({
      height: 224,
      width: 224,
      channels: 3,
      layout: 'NCHW',
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: [0, 0, 0],
      std: [1, 1, 1],
      invert: false,
    });
    const p = defaultPreprocessing({ name: 'x', height: 28, width: 28, channels: 1, layout: 'NHWC' });
    expect(p).toMatchObject({ height: 28, width: 28, channels: 1, layout: 'NHWC', mean: [0], std: [1] });
    expect(defaultPreprocessing({ height: null, width: 300, channels: 3, layout: 'NCHW' })).toMatchObject({ height: 224, width: 300 });
    expect(checkPreprocessing(defaultPreprocessing(undefined))).toEqual([]);
  });
});

describe('samplePreprocessing', () => {
  it('matches the sample’s input description in samples.json', () => {
    const sample = samples.find((s) => s.id === 'stroke-cnn');
    expect(sample?.input?.shape).toEqual([samplePreprocessing.height, samplePreprocessing.width, samplePreprocessing.channels]);
    expect(sample?.input?.range).toEqual([0, 1]);
    expect(sample?.input?.layout).toMatch(/^NHWC for TF\.js/);
    expect(samplePreprocessing).toMatchObject({ layout: 'NHWC', scale: 1 / 255, mean: [0], std: [1], invert: true });
    expect(checkPreprocessing(samplePreprocessing, { height: 32, width: 32, channels: 1, layout: 'NHWC' })).toEqual([]);
  });
});

describe('checkPreprocessing', () => {
  const p = defaultPreprocessing(undefined);
  it('reports each problem in words', () => {
    expect(checkPreprocessing({ ...p, height: 0, width: 5000 })).toEqual([
      'Height must be a whole number of pixels from 1 to 4096 (got 0).',
      'Width must be a whole number of pixels from 1 to 4096 (got 5000).',
    ]);
    expect(checkPreprocessing({ ...p, height: 2.5 })[0]).toMatch(/Height must be a whole number/);
    expect(checkPreprocessing({ ...p, std: [1, 0, 1] })).toEqual([expect.stringMatching(/Std values must be finite and non-zero/)]);
    expect(checkPreprocessing({ ...p, mean: [0.5] })).toEqual(['Mean needs 3 values, one per channel (got 1).']);
    expect(checkPreprocessing({ ...p, std: [] })).toEqual(['Std needs 3 values, one per channel (got 0).']);
    expect(checkPreprocessing({ ...p, scale: 0 })).toEqual(['Scale must be a finite non-zero number (got 0).']);
    expect(checkPreprocessing({ ...p, mean: [NaN, 0, 0] })).toEqual(['Mean values must be finite numbers.']);
  });
  it('names disagreements with the model’s input', () => {
    const spec = { height: 32, width: 32, channels: 1, layout: 'NHWC' as const };
    expect(checkPreprocessing(p, spec)).toEqual([
      'The model expects height 32; inputs of height 224 will not fit it.',
      'The model expects width 32; inputs of width 224 will not fit it.',
      'The model expects 1 channel; inputs have 3.',
      'The model’s input is NHWC; NCHW tensors will not match it.',
    ]);
    expect(checkPreprocessing(p, { height: null, width: null, channels: 4, layout: 'NCHW' })).toEqual([
      'The model expects 4 channels; only grey (1) or colour (3) images can be made.',
    ]);
  });
});

describe('channels and presets', () => {
  it('keeps mean and std one per channel when the channel count changes', () => {
    const imagenet = applyPreset(defaultPreprocessing(undefined), 'imagenet');
    expect(imagenet.mean).toEqual([0.485, 0.456, 0.406]);
    const grey = withChannels(imagenet, 1);
    expect(grey.mean[0]).toBeCloseTo((0.485 + 0.456 + 0.406) / 3, 12);
    expect(withChannels(grey, 3).std).toHaveLength(3);
    expect(checkPreprocessing(withChannels(grey, 3))).toEqual([]);
  });
  it('orders a preset’s values as the channels are, and recognises presets', () => {
    const bgr = applyPreset({ ...defaultPreprocessing(undefined), channelOrder: 'BGR' }, 'imagenet');
    expect(bgr.mean).toEqual([0.406, 0.456, 0.485]);
    expect(presetOf(bgr)).toBe('imagenet');
    expect(presetOf(defaultPreprocessing(undefined))).toBe('unit');
    expect(presetOf(applyPreset(samplePreprocessing, 'symmetric'))).toBe('symmetric');
    expect(presetOf({ ...samplePreprocessing, mean: [0.3] })).toBeNull();
  });
  it('gives the per-example shape in the layout', () => {
    expect(exampleShape(samplePreprocessing)).toEqual([32, 32, 1]);
    expect(exampleShape(defaultPreprocessing(undefined))).toEqual([3, 224, 224]);
  });
});
