/**
 * How images become a model's input tensor: size, channels, layout, channel order and normalisation. The probe
 * worker reports what the model file says about its input (`ProbeInputSpec` in workers/probeProtocol.ts); the user
 * sees and adjusts the rest here. Pure: plain objects in and out.
 *
 * The per-pixel formula, for a pixel byte x ∈ 0..255 of channel c (after the channel order is applied):
 *   x' = invert ? 255 − x : x,   value = (x' · scale − mean[c]) / std[c].
 * So `scale = 1/255, mean = 0, std = 1` gives [0, 1]; ImageNet models use mean (0.485, 0.456, 0.406) and std
 * (0.229, 0.224, 0.225) after the same scale.
 */

/**
 * What the model file says about its input, as far as it says: structurally the same as `ProbeInputSpec` in
 * workers/probeProtocol.ts (src/analysis imports nothing from the rest of the project).
 */
export interface ModelInputSpec {
  readonly name?: string;
  /** Null when the graph leaves the size free. */
  readonly height: number | null;
  readonly width: number | null;
  readonly channels: number;
  readonly layout: 'NCHW' | 'NHWC';
}

/** How one image becomes one example of the model's input. */
export interface InputPreprocessing {
  /** Images are resized to height × width pixels. */
  readonly height: number;
  readonly width: number;
  /** 1: grey (luma 0.299 R + 0.587 G + 0.114 B); 3: colour. */
  readonly channels: 1 | 3;
  /** NCHW (ONNX / PyTorch) or NHWC (TF.js / Keras). */
  readonly layout: 'NCHW' | 'NHWC';
  /** Order of the three colour channels in the tensor (ignored for 1 channel); Caffe-era models use BGR. */
  readonly channelOrder: 'RGB' | 'BGR';
  /** Each 0..255 pixel byte is multiplied by this first, e.g. 1/255. */
  readonly scale: number;
  /** Per channel (tensor order), applied after scale: (x·scale − mean) / std. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Use 255 − x: ink-on-light images become light-on-dark (as the stroke sample was trained). */
  readonly invert: boolean;
}

/** Largest side accepted for a resized input, pixels. */
export const MAX_INPUT_SIDE = 4096;

/** Side used when the model leaves its input size free. */
export const DEFAULT_INPUT_SIDE = 224;

/**
 * A sensible starting point for a model: its own size, channels and layout when the file says them (224 × 224,
 * 3 channels, NCHW otherwise), RGB, values in [0, 1] (scale 1/255, mean 0, std 1), no inversion.
 */
export function defaultPreprocessing(spec: ModelInputSpec | null | undefined): InputPreprocessing {
  const channels: 1 | 3 = spec?.channels === 1 ? 1 : 3;
  const side = (n: number | null | undefined): number =>
    n != null && Number.isInteger(n) && n >= 1 && n <= MAX_INPUT_SIDE ? n : DEFAULT_INPUT_SIDE;
  return {
    height: side(spec?.height),
    width: side(spec?.width),
    channels,
    layout: spec?.layout ?? 'NCHW',
    channelOrder: 'RGB',
    scale: 1 / 255,
    mean: new Array<number>(channels).fill(0),
    std: new Array<number>(channels).fill(1),
    invert: false,
  };
}

/**
 * The stroke sample (public/samples/samples.json, "input"): 32 × 32 × 1 grey in [0, 1], no normalisation, NHWC as
 * its TF.js form takes it ([N, 32, 32, 1]). It was trained on ink 1 on background 0, so images are inverted: dark
 * strokes drawn on light paper (and the built-in set, which is rendered that way) become ink 1 on 0.
 */
export const samplePreprocessing: InputPreprocessing = {
  height: 32,
  width: 32,
  channels: 1,
  layout: 'NHWC',
  channelOrder: 'RGB',
  scale: 1 / 255,
  mean: [0],
  std: [1],
  invert: true,
};

/**
 * Change the channel count, keeping mean and std meaningful: 3 → 1 averages them, 1 → 3 repeats the one value.
 */
export function withChannels(p: InputPreprocessing, channels: 1 | 3): InputPreprocessing {
  if (channels === p.channels) return p;
  const fit = (values: readonly number[], fallback: number): number[] => {
    if (values.length === 0) return new Array<number>(channels).fill(fallback);
    if (channels === 1) return [values.reduce((a, b) => a + b, 0) / values.length];
    return new Array<number>(channels).fill(values[0] ?? fallback);
  };
  return { ...p, channels, mean: fit(p.mean, 0), std: fit(p.std, 1) };
}

/** Named normalisations the user can pick instead of typing scale, mean and std. */
export const NORMALISATION_PRESETS = {
  unit: { label: '[0, 1]: x / 255', scale: 1 / 255, mean: 0, std: 1 },
  symmetric: { label: '[−1, 1]: (x / 255 − 0.5) / 0.5', scale: 1 / 255, mean: 0.5, std: 0.5 },
  imagenet: { label: 'ImageNet mean and std', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  raw: { label: '[0, 255]: raw bytes', scale: 1, mean: 0, std: 1 },
} as const;

/** A key of {@link NORMALISATION_PRESETS}. */
export type NormalisationPreset = keyof typeof NORMALISATION_PRESETS;

/** Per-channel values of a preset for `channels` channels (a three-value preset is averaged for grey). */
function presetValues(v: number | readonly number[], channels: 1 | 3): number[] {
  if (typeof v === 'number') return new Array<number>(channels).fill(v);
  if (channels === 1) return [v.reduce((a, b) => a + b, 0) / v.length];
  return [...v];
}

/** `p` with the preset's scale, mean and std (in p's channel order: ImageNet values are given RGB). */
export function applyPreset(p: InputPreprocessing, preset: NormalisationPreset): InputPreprocessing {
  const s = NORMALISATION_PRESETS[preset];
  const order = (values: number[]): number[] => (p.channels === 3 && p.channelOrder === 'BGR' ? [...values].reverse() : values);
  return { ...p, scale: s.scale, mean: order(presetValues(s.mean, p.channels)), std: order(presetValues(s.std, p.channels)) };
}

/** The preset `p`'s scale, mean and std match (to 1e-9), or null. */
export function presetOf(p: InputPreprocessing): NormalisationPreset | null {
  const same = (a: readonly number[], b: readonly number[]): boolean =>
    a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? NaN)) < 1e-9);
  for (const key of Object.keys(NORMALISATION_PRESETS) as NormalisationPreset[]) {
    const q = applyPreset(p, key);
    if (Math.abs(q.scale - p.scale) < 1e-12 && same(q.mean, p.mean) && same(q.std, p.std)) return key;
  }
  return null;
}

/**
 * Problems with `p`, as sentences for the user (empty when it is usable). With the model's `spec`, also where `p`
 * disagrees with what the model file says (a size, channel count or layout the model will not accept).
 */
export function checkPreprocessing(p: InputPreprocessing, spec?: ModelInputSpec | null): string[] {
  const problems: string[] = [];
  const sideOk = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_INPUT_SIDE;
  if (!sideOk(p.height)) problems.push(`Height must be a whole number of pixels from 1 to ${MAX_INPUT_SIDE} (got ${p.height}).`);
  if (!sideOk(p.width)) problems.push(`Width must be a whole number of pixels from 1 to ${MAX_INPUT_SIDE} (got ${p.width}).`);
  if (p.channels !== 1 && p.channels !== 3) problems.push(`Channels must be 1 (grey) or 3 (colour) (got ${String(p.channels)}).`);
  if (p.layout !== 'NCHW' && p.layout !== 'NHWC') problems.push(`Layout must be NCHW or NHWC (got ${String(p.layout)}).`);
  if (p.channelOrder !== 'RGB' && p.channelOrder !== 'BGR') problems.push(`Channel order must be RGB or BGR (got ${String(p.channelOrder)}).`);
  if (!Number.isFinite(p.scale) || p.scale === 0) problems.push(`Scale must be a finite non-zero number (got ${p.scale}).`);
  if (p.mean.length !== p.channels) problems.push(`Mean needs ${p.channels} value${p.channels === 1 ? '' : 's'}, one per channel (got ${p.mean.length}).`);
  else if (!p.mean.every(Number.isFinite)) problems.push('Mean values must be finite numbers.');
  if (p.std.length !== p.channels) problems.push(`Std needs ${p.channels} value${p.channels === 1 ? '' : 's'}, one per channel (got ${p.std.length}).`);
  else if (!p.std.every((s) => Number.isFinite(s) && s !== 0)) problems.push('Std values must be finite and non-zero (each value is divided by its channel’s std).');
  if (spec) {
    if (spec.height != null && spec.height !== p.height) problems.push(`The model expects height ${spec.height}; inputs of height ${p.height} will not fit it.`);
    if (spec.width != null && spec.width !== p.width) problems.push(`The model expects width ${spec.width}; inputs of width ${p.width} will not fit it.`);
    if (spec.channels !== p.channels) {
      problems.push(
        spec.channels === 1 || spec.channels === 3
          ? `The model expects ${spec.channels} channel${spec.channels === 1 ? '' : 's'}; inputs have ${p.channels}.`
          : `The model expects ${spec.channels} channels; only grey (1) or colour (3) images can be made.`,
      );
    }
    if (spec.layout !== p.layout) problems.push(`The model’s input is ${spec.layout}; ${p.layout} tensors will not match it.`);
  }
  return problems;
}

/** Per-example tensor shape: [C, H, W] for NCHW, [H, W, C] for NHWC. */
export function exampleShape(p: InputPreprocessing): number[] {
  return p.layout === 'NCHW' ? [p.channels, p.height, p.width] : [p.height, p.width, p.channels];
}
