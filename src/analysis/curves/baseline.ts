/**
 * The baseline set for responses "in standard deviations of the unit's response to a baseline set" (SCIENCE.md §4)
 * when the user has no input set of their own: seeded random stimuli of every kind — curves, lines and angles at
 * uniform random orientation, log-uniform radius over the sweep's range (`defaultRadii`) and uniform opening in
 * [45°, 135°] — with the sweep's stroke width, length and polarity. Centred like the sweeps, so every unit's read-out
 * sees a stroke: the baseline measures how much a unit's response varies across strokes in general, and a z-score
 * says how far a stimulus drives it beyond that.
 */
import { seededRandom } from '../random/seededRandom';
import { defaultRadii } from './stimuli';
import type { StimulusCanvas, StimulusKind, StimulusParams } from './types';

const KINDS: readonly StimulusKind[] = ['curve', 'line', 'angle'];

/**
 * `count` random stimuli from `seed` (the same list on every platform).
 *
 * @param base stroke width, length and polarity shared with the sweep (its kind, orientation and radius are drawn)
 * @throws RangeError for a count that is not a non-negative integer (and whatever `defaultRadii` throws for the canvas)
 */
export function baselineStimuli(
  canvas: StimulusCanvas,
  count: number,
  seed: number,
  base: Pick<StimulusParams, 'widthPx' | 'lengthPx' | 'darkOnLight'>,
): StimulusParams[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`baselineStimuli: count must be a non-negative integer, got ${count}`);
  const radii = defaultRadii(canvas, base.lengthPx);
  const lo = Math.log(radii[0] as number);
  const hi = Math.log(radii[radii.length - 2] as number);
  const rng = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length] as StimulusKind;
    const thetaDeg = rng() * 360;
    const radiusPx = kind === 'line' ? Infinity : Math.exp(lo + rng() * (hi - lo));
    const openingDeg = 45 + rng() * 90;
    return { ...base, kind, thetaDeg, radiusPx, openingDeg };
  });
}
