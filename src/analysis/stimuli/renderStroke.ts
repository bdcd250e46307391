/**
 * Anti-aliased rasterisation of simple strokes (line segments, circular arcs, circles) into a grey image.
 *
 * Used for two things: the labelled stroke images the sample CNN is trained on (`scripts/sample/`), and the
 * curve stimuli of SCIENCE.md §4 (arcs of radius r through the image centre with tangent orientation θ).
 *
 * Conventions, shared by every function in this file:
 * - Coordinates are in pixels, x to the right, y DOWN (image rows). Pixel (col, row) covers
 *   [col, col+1) × [row, row+1); its centre is (col + 0.5, row + 0.5). The image centre is (size/2, size/2)
 *   (width/2, height/2 for a non-square image, see `RenderOptions.height`).
 * - Angles are in radians, measured COUNTER-CLOCKWISE as seen on screen, from the +x axis: the unit direction of
 *   angle θ is (cos θ, −sin θ) in pixel coordinates, so θ = π/2 points up.
 * - Output is a row-major Float32Array of size × size values (height rows × size columns when `height` is given)
 *   in [0, 1]: ink 1 on background 0 (or inverted).
 * - Coverage comes from the exact Euclidean distance d from a pixel centre to the stroke's centre line, with a
 *   1-px linear ramp: c = clamp(w/2 + 1/2 − d, 0, 1) for widths w ≥ 1 px (for thinner strokes c = w·max(0, 1 − d),
 *   which keeps the ink per unit length equal to w). A straight stroke of length L therefore holds ink ≈ L·w plus
 *   its two round caps (≈ π w²/4). Optional n × n supersampling (ramp 1/n px) approaches exact area coverage.
 *   Several strokes in one image are unioned (the minimum distance is used), so overlaps are not inked twice.
 */

/** A straight segment from (x0, y0) to (x1, y1), pixels. Its ends are round caps. */
export interface LineStroke {
  readonly kind: 'line';
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * A circular arc: centre (cx, cy), radius in pixels, covering the angles from `startRad` counter-clockwise to
 * `endRad` (the order of the two does not matter: the arc is the angular interval between them). A sweep of 2π
 * or more is a full circle. Its ends are round caps.
 */
export interface ArcStroke {
  readonly kind: 'arc';
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
  readonly startRad: number;
  readonly endRad: number;
}

/** A full circle of the given radius (pixels) around (cx, cy). */
export interface CircleStroke {
  readonly kind: 'circle';
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
}

/** Any stroke primitive. Shapes made of several primitives (angles, polylines) are arrays of them. */
export type Stroke = LineStroke | ArcStroke | CircleStroke;

/** Options of {@link renderStrokes}. */
export interface RenderOptions {
  /** Image side in pixels (the image is size × size), or its width when `height` is given. */
  readonly size: number;
  /** Image height in pixels (rows) for a non-square image `size` wide; default `size` (square). */
  readonly height?: number;
  /** Stroke width in pixels (> 0). */
  readonly widthPx: number;
  /** If true, return 1 − coverage (dark ink on a light background). Default false: ink 1 on 0. */
  readonly invert?: boolean;
  /**
   * Sample points per pixel side (default 1: one sample at the pixel centre with a 1-px ramp). Use 3–4 for
   * strokes about 1 px wide, where the plain ramp aliases on diagonals.
   */
  readonly supersample?: number;
}

const TWO_PI = 2 * Math.PI;

/** Distance from (px, py) to the segment (x0, y0)–(x1, y1). */
function distanceToSegment(px: number, py: number, s: LineStroke): number {
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  const lengthSq = dx * dx + dy * dy;
  let t = lengthSq > 0 ? ((px - s.x0) * dx + (py - s.y0) * dy) / lengthSq : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - (s.x0 + t * dx), py - (s.y0 + t * dy));
}

/** The point of a circle of centre (cx, cy) and radius r at angle φ (screen counter-clockwise). */
function pointOnCircle(cx: number, cy: number, r: number, phi: number): [number, number] {
  return [cx + r * Math.cos(phi), cy - r * Math.sin(phi)];
}

/** Distance from (px, py) to an arc (a full circle when its sweep is ≥ 2π). */
function distanceToArc(px: number, py: number, a: ArcStroke): number {
  const start = Math.min(a.startRad, a.endRad);
  const sweep = Math.abs(a.endRad - a.startRad);
  const dx = px - a.cx;
  const dyUp = a.cy - py;
  const rho = Math.hypot(dx, dyUp);
  if (sweep >= TWO_PI) return Math.abs(rho - a.radius);
  // Angle of the point as seen from the centre, relative to the arc's start, in [0, 2π).
  let rel = (Math.atan2(dyUp, dx) - start) % TWO_PI;
  if (rel < 0) rel += TWO_PI;
  if (rel <= sweep) return Math.abs(rho - a.radius);
  const [ax, ay] = pointOnCircle(a.cx, a.cy, a.radius, start);
  const [bx, by] = pointOnCircle(a.cx, a.cy, a.radius, start + sweep);
  return Math.min(Math.hypot(px - ax, py - ay), Math.hypot(px - bx, py - by));
}

/** Distance from (px, py) to the centre line of any stroke primitive. */
export function distanceToStroke(px: number, py: number, s: Stroke): number {
  switch (s.kind) {
    case 'line':
      return distanceToSegment(px, py, s);
    case 'arc':
      return distanceToArc(px, py, s);
    case 'circle':
      return Math.abs(Math.hypot(px - s.cx, py - s.cy) - s.radius);
  }
}

/** Axis-aligned bounding box [xMin, yMin, xMax, yMax] of a stroke's centre line (conservative for arcs). */
function boundingBox(s: Stroke): [number, number, number, number] {
  switch (s.kind) {
    case 'line':
      return [Math.min(s.x0, s.x1), Math.min(s.y0, s.y1), Math.max(s.x0, s.x1), Math.max(s.y0, s.y1)];
    case 'arc':
    case 'circle':
      return [s.cx - s.radius, s.cy - s.radius, s.cx + s.radius, s.cy + s.radius];
  }
}

/**
 * Coverage of a sample point at distance `d` from the centre line of a stroke of width `w`, with a linear ramp of
 * width `ramp` px across each edge: clamp((w/2 + ramp/2 − d) / ramp, 0, 1). Strokes thinner than the ramp get a
 * triangle of height w/ramp instead, so the ink per unit length stays w.
 */
function coverage(d: number, w: number, ramp: number): number {
  if (w >= ramp) {
    const c = (w / 2 + ramp / 2 - d) / ramp;
    return c <= 0 ? 0 : c >= 1 ? 1 : c;
  }
  const c = 1 - d / ramp;
  return c <= 0 ? 0 : (w / ramp) * c;
}

/**
 * Rasterise strokes into a size × size grey image (row-major Float32Array, values in [0, 1]); with `height`, an
 * image of `height` rows × `size` columns.
 * Strokes are unioned: each sample point takes its distance to the nearest stroke. Parts outside the image are
 * clipped. With `supersample` n > 1, each pixel averages n × n sample points whose ramps are 1/n px wide, which
 * approaches the exact area coverage (box filter): a 1-px-wide stroke along a pixel diagonal holds ~12 % too much
 * ink with the plain 1-px ramp and < 2 % with n = 4; widths ≥ 1.5 px are within ~2.5 % of L·w without it.
 * Throws RangeError for a non-positive or non-integer size, height or supersampling factor, or a non-positive width.
 */
export function renderStrokes(strokes: readonly Stroke[], options: RenderOptions): Float32Array {
  const { size, widthPx } = options;
  const n = options.supersample ?? 1;
  const height = options.height ?? size;
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`renderStrokes: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(height) || height <= 0) throw new RangeError(`renderStrokes: height must be a positive integer, got ${height}`);
  if (!(widthPx > 0)) throw new RangeError(`renderStrokes: widthPx must be > 0, got ${widthPx}`);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`renderStrokes: supersample must be a positive integer, got ${n}`);
  const ramp = 1 / n;
  const fine = size * n; // sample points per row
  const fineRows = height * n;
  const distance = new Float64Array(fine * fineRows).fill(Infinity);
  const reach = widthPx / 2 + 1; // beyond this distance (px) coverage is 0
  for (const s of strokes) {
    const [xMin, yMin, xMax, yMax] = boundingBox(s);
    const c0 = Math.max(0, Math.floor((xMin - reach) * n));
    const c1 = Math.min(fine - 1, Math.ceil((xMax + reach) * n));
    const r0 = Math.max(0, Math.floor((yMin - reach) * n));
    const r1 = Math.min(fineRows - 1, Math.ceil((yMax + reach) * n));
    for (let row = r0; row <= r1; row++) {
      const py = (row + 0.5) * ramp;
      for (let col = c0; col <= c1; col++) {
        const d = distanceToStroke((col + 0.5) * ramp, py, s);
        const at = row * fine + col;
        if (d < (distance[at] ?? Infinity)) distance[at] = d;
      }
    }
  }
  const image = new Float32Array(size * height);
  const invert = options.invert === true;
  const weight = 1 / (n * n);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < size; col++) {
      let c = 0;
      for (let i = 0; i < n; i++) {
        const base = (row * n + i) * fine + col * n;
        for (let j = 0; j < n; j++) c += coverage(distance[base + j] ?? Infinity, widthPx, ramp);
      }
      c *= weight;
      image[row * size + col] = invert ? 1 - c : c;
    }
  }
  return image;
}

/** Convenience: render one stroke. See {@link renderStrokes}. */
export function renderStroke(stroke: Stroke, options: RenderOptions): Float32Array {
  return renderStrokes([stroke], options);
}

/**
 * A straight segment of length `lengthPx` centred on (cx, cy) with direction `thetaRad` (screen counter-clockwise
 * from +x). Orientation is axial: θ and θ + π give the same segment.
 */
export function lineThroughPoint(cx: number, cy: number, thetaRad: number, lengthPx: number): LineStroke {
  const hx = (Math.cos(thetaRad) * lengthPx) / 2;
  const hy = (-Math.sin(thetaRad) * lengthPx) / 2;
  return { kind: 'line', x0: cx - hx, y0: cy - hy, x1: cx + hx, y1: cy + hy };
}

/**
 * The curve stimulus of SCIENCE.md §4: an arc of a circle of radius `radius` px that passes through (cx, cy),
 * where its tangent has direction `thetaRad`, and extends `arcLength / 2` px along the curve on either side of
 * that point (capped at a full circle). The circle's centre lies to the LEFT of the tangent direction (the curve
 * turns counter-clockwise as it is travelled along θ), so sweeping θ over [0, 2π) shows every orientation of the
 * curve once; θ and θ + π are mirror images, not the same curve. A radius of `Infinity` (or one so large that the
 * arc is numerically straight) gives the straight segment {@link lineThroughPoint}, the r = ∞ limit.
 * Throws RangeError for a non-positive radius or a negative arc length.
 */
export function arcThroughPoint(
  cx: number,
  cy: number,
  radius: number,
  thetaRad: number,
  arcLength: number,
): ArcStroke | LineStroke {
  if (!(radius > 0)) throw new RangeError(`arcThroughPoint: radius must be > 0, got ${radius}`);
  if (!(arcLength >= 0)) throw new RangeError(`arcThroughPoint: arcLength must be ≥ 0, got ${arcLength}`);
  if (!Number.isFinite(radius) || radius > 1e6 * Math.max(1, arcLength)) return lineThroughPoint(cx, cy, thetaRad, arcLength);
  // Left normal of the tangent direction (cos θ, sin θ) in y-up coordinates is (−sin θ, cos θ).
  const centreX = cx - radius * Math.sin(thetaRad);
  const centreY = cy - radius * Math.cos(thetaRad); // y down: the y-up component cos θ becomes −cos θ
  const phi0 = thetaRad - Math.PI / 2; // angle of (cx, cy) as seen from the centre
  const half = Math.min(Math.PI, arcLength / (2 * radius));
  return { kind: 'arc', cx: centreX, cy: centreY, radius, startRad: phi0 - half, endRad: phi0 + half };
}

/**
 * An angle: two straight arms of length `armLengthPx` meeting at the vertex (vx, vy). The arms leave the vertex in
 * the directions `bisectorRad ± openingRad / 2` (screen counter-clockwise from +x), so `openingRad` is the angle
 * between them (π gives a straight line through the vertex, small values a sharp V pointing against the bisector).
 */
export function angleAtPoint(
  vx: number,
  vy: number,
  bisectorRad: number,
  openingRad: number,
  armLengthPx: number,
): [LineStroke, LineStroke] {
  const arm = (direction: number): LineStroke => ({
    kind: 'line',
    x0: vx,
    y0: vy,
    x1: vx + armLengthPx * Math.cos(direction),
    y1: vy - armLengthPx * Math.sin(direction),
  });
  return [arm(bisectorRad - openingRad / 2), arm(bisectorRad + openingRad / 2)];
}

/**
 * Rotate a stroke by `angleRad` (screen counter-clockwise) about the point (ox, oy). Rotating every stroke of a
 * picture by π/2 about the image centre rotates the rendered image by 90° exactly (the pixel grid is symmetric).
 */
export function rotateStroke(s: Stroke, angleRad: number, ox: number, oy: number): Stroke {
  const cos = Math.cos(angleRad);
  const sin = Math.sin(angleRad);
  // In y-up coordinates (u, v) = (x − ox, oy − y): (u, v) → (u cos − v sin, u sin + v cos).
  const rotate = (x: number, y: number): [number, number] => {
    const u = x - ox;
    const v = oy - y;
    return [ox + u * cos - v * sin, oy - (u * sin + v * cos)];
  };
  switch (s.kind) {
    case 'line': {
      const [x0, y0] = rotate(s.x0, s.y0);
      const [x1, y1] = rotate(s.x1, s.y1);
      return { kind: 'line', x0, y0, x1, y1 };
    }
    case 'arc': {
      const [cx, cy] = rotate(s.cx, s.cy);
      return { kind: 'arc', cx, cy, radius: s.radius, startRad: s.startRad + angleRad, endRad: s.endRad + angleRad };
    }
    case 'circle': {
      const [cx, cy] = rotate(s.cx, s.cy);
      return { kind: 'circle', cx, cy, radius: s.radius };
    }
  }
}
