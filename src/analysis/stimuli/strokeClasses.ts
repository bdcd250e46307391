/**
 * The labelled stroke images of the sample CNN ("Stroke CNN", public/samples/SOURCES.md): five classes of simple
 * strokes at random orientations and positions, rendered into 32 × 32 grey images (ink 1 on 0) by
 * {@link renderStrokes}. Pure and seeded, so the app can regenerate exactly the images the model was trained and
 * tested on (same seed → same images), e.g. as its built-in labelled input set.
 */
import { gaussian, seededRandom, type Rng } from '../random/seededRandom';
import { angleAtPoint, arcThroughPoint, renderStrokes, type Stroke } from './renderStroke';

/** Class names, in label order (label i ↔ STROKE_CLASSES[i]; the model's output unit i). */
export const STROKE_CLASSES = ['line', 'gentle-curve', 'tight-curve', 'angle', 'circle'] as const;

/** One of {@link STROKE_CLASSES}. */
export type StrokeClass = (typeof STROKE_CLASSES)[number];

/** Side of the square images, pixels. */
export const STROKE_IMAGE_SIZE = 32;

/**
 * Parameter ranges of the generator (uniform draws unless said otherwise). Lengths, radii, widths and offsets in
 * pixels; angles in degrees; `noiseSigma` is the standard deviation of the additive Gaussian pixel noise (the
 * result is clamped to [0, 1]). `maxOffsetPx` moves the shape's bounding-box centre away from the image centre,
 * limited so that the shape stays 1 px inside the frame when it fits.
 */
export const STROKE_PARAMS = {
  widthPx: [1.5, 3],
  maxOffsetPx: 5,
  noiseSigma: 0.03,
  line: { lengthPx: [12, 26] },
  'gentle-curve': { radiusPx: [9, 16], arcLengthPx: [16, 26] },
  'tight-curve': { radiusPx: [4, 6.5], sweepDeg: [130, 250] },
  angle: { armLengthPx: [7, 13], openingDeg: [35, 115] },
  circle: { radiusPx: [4.5, 10] },
} as const;

/** One generated example: its label, the strokes drawn, their width, and the image. */
export interface StrokeExample {
  /** Index into {@link STROKE_CLASSES}. */
  readonly label: number;
  readonly strokes: readonly Stroke[];
  readonly widthPx: number;
  /** Row-major STROKE_IMAGE_SIZE² values in [0, 1], ink 1 on background 0, with the light noise added. */
  readonly image: Float32Array;
}

const uniform = (rng: Rng, range: readonly [number, number]): number => range[0] + (range[1] - range[0]) * rng();
const DEG = Math.PI / 180;

/** The class's strokes around the origin-ish, before placement. */
function shapeOf(label: number, rng: Rng): Stroke[] {
  const theta = 2 * Math.PI * rng();
  const cls = STROKE_CLASSES[label];
  switch (cls) {
    case 'line':
      // r = ∞: the straight segment through the point.
      return [arcThroughPoint(0, 0, Infinity, theta, uniform(rng, STROKE_PARAMS.line.lengthPx))];
    case 'gentle-curve': {
      const p = STROKE_PARAMS['gentle-curve'];
      return [arcThroughPoint(0, 0, uniform(rng, p.radiusPx), theta, uniform(rng, p.arcLengthPx))];
    }
    case 'tight-curve': {
      const p = STROKE_PARAMS['tight-curve'];
      const radius = uniform(rng, p.radiusPx);
      return [arcThroughPoint(0, 0, radius, theta, radius * uniform(rng, p.sweepDeg) * DEG)];
    }
    case 'angle': {
      const p = STROKE_PARAMS.angle;
      return angleAtPoint(0, 0, theta, uniform(rng, p.openingDeg) * DEG, uniform(rng, p.armLengthPx));
    }
    case 'circle':
      return [{ kind: 'circle', cx: 0, cy: 0, radius: uniform(rng, STROKE_PARAMS.circle.radiusPx) }];
    default:
      throw new RangeError(`unknown stroke class label ${label}`);
  }
}

/** Bounding box [xMin, yMin, xMax, yMax] of the strokes' centre lines, from points sampled along them. */
function extent(strokes: readonly Stroke[]): [number, number, number, number] {
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number): void => {
    box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
  };
  for (const s of strokes) {
    if (s.kind === 'line') {
      add(s.x0, s.y0);
      add(s.x1, s.y1);
    } else {
      const start = s.kind === 'arc' ? Math.min(s.startRad, s.endRad) : 0;
      const sweep = s.kind === 'arc' ? Math.min(2 * Math.PI, Math.abs(s.endRad - s.startRad)) : 2 * Math.PI;
      for (let k = 0; k <= 64; k++) {
        const phi = start + (sweep * k) / 64;
        add(s.cx + s.radius * Math.cos(phi), s.cy - s.radius * Math.sin(phi));
      }
    }
  }
  return box;
}

/** Translate strokes by (dx, dy). */
function translate(strokes: readonly Stroke[], dx: number, dy: number): Stroke[] {
  return strokes.map((s): Stroke => {
    switch (s.kind) {
      case 'line':
        return { ...s, x0: s.x0 + dx, y0: s.y0 + dy, x1: s.x1 + dx, y1: s.y1 + dy };
      case 'arc':
      case 'circle':
        return { ...s, cx: s.cx + dx, cy: s.cy + dy };
    }
  });
}

/**
 * Draw one example of class `label` (index into {@link STROKE_CLASSES}) with the generator `rng`: random
 * orientation, size, width and position within {@link STROKE_PARAMS}, then light Gaussian noise.
 * Consumes a label-dependent number of draws from `rng`. Throws RangeError for an unknown label.
 */
export function sampleStrokeExample(label: number, rng: Rng): StrokeExample {
  const size = STROKE_IMAGE_SIZE;
  const shape = shapeOf(label, rng);
  const widthPx = uniform(rng, STROKE_PARAMS.widthPx);
  const [x0, y0, x1, y1] = extent(shape);
  // Allowed offset of the box centre from the image centre, per axis: keep the inked box 1 px inside the frame.
  const margin = 1 + widthPx / 2;
  const slackX = Math.max(0, Math.min(STROKE_PARAMS.maxOffsetPx, (size - (x1 - x0)) / 2 - margin));
  const slackY = Math.max(0, Math.min(STROKE_PARAMS.maxOffsetPx, (size - (y1 - y0)) / 2 - margin));
  const cx = size / 2 + slackX * (2 * rng() - 1);
  const cy = size / 2 + slackY * (2 * rng() - 1);
  const strokes = translate(shape, cx - (x0 + x1) / 2, cy - (y0 + y1) / 2);
  const image = renderStrokes(strokes, { size, widthPx });
  for (let i = 0; i < image.length; i++) {
    const v = (image[i] ?? 0) + STROKE_PARAMS.noiseSigma * gaussian(rng);
    image[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { label, strokes, widthPx, image };
}

/** A labelled set of stroke images, as flat arrays ready for a tensor of shape [count, 32, 32, 1]. */
export interface StrokeSet {
  readonly count: number;
  /** count × STROKE_IMAGE_SIZE² values in [0, 1], image after image (row-major), ink 1 on 0. */
  readonly images: Float32Array;
  /** count labels, indices into {@link STROKE_CLASSES}. */
  readonly labels: Uint8Array;
}

/**
 * Generate `count` examples from `seed`, classes balanced and interleaved (example i has label
 * i mod {@link STROKE_CLASSES}.length). The same (count, seed) always gives the same set, on every platform.
 */
export function generateStrokeSet(count: number, seed: number): StrokeSet {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generateStrokeSet: bad count ${count}`);
  const rng = seededRandom(seed);
  const pixels = STROKE_IMAGE_SIZE * STROKE_IMAGE_SIZE;
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % STROKE_CLASSES.length;
    images.set(sampleStrokeExample(label, rng).image, i * pixels);
    labels[i] = label;
  }
  return { count, images, labels };
}
