/**
 * Where a layer's response "over the image centre" is read (issue 8, SCIENCE.md §4): the output position whose
 * receptive-field centre is nearest the image centre, from the geometric scale between input and output sizes.
 *
 * In continuous pixel coordinates (pixel i covers [i, i + 1), its centre at i + ½; the stimuli use the same
 * convention, src/analysis/stimuli/renderStroke.ts) the image centre is inHeight/2. Scaled to the output grid by
 * outHeight/inHeight it lands at outHeight/2, and the output pixel whose centre j + ½ is nearest is
 *
 *   row = round(outHeight · (inHeight/2) / inHeight − ½),  col = round(outWidth · (inWidth/2) / inWidth − ½),
 *
 * ties (an even size: the centre falls on a pixel border) going to the larger index, as `Math.round` rounds
 * halves up: a 32-pixel side reads at 16, a 31-pixel side at 15. This is exact for stride-1 'same' convs (the
 * output pixel over input pixel 16 of 32 is 16), for 'valid' convs (26 outputs of 32: 13, over input 16) and for
 * stride-2 'same' convs (16 of 32: 8, over input 16); it assumes symmetric padding, as those are.
 */

/** The read-out position in an outHeight × outWidth grid. */
export interface Readout {
  readonly row: number;
  readonly col: number;
}

/** The index along one axis (see the module comment). */
function centreIndex(inSize: number, outSize: number): number {
  if (!Number.isInteger(outSize) || outSize < 1) throw new RangeError(`centreReadout: output size must be an integer ≥ 1, got ${outSize}`);
  if (!(inSize > 0)) throw new RangeError(`centreReadout: input size must be > 0, got ${inSize}`);
  // outSize · (inSize/2) / inSize is exactly outSize/2 in floating point (a correctly rounded division of exact values).
  const index = Math.round((outSize * (inSize / 2)) / inSize - 0.5);
  return Math.min(outSize - 1, Math.max(0, index));
}

/**
 * The output position over the image centre.
 *
 * @param inHeight the model input's height (pixels)
 * @param inWidth its width
 * @param outHeight the layer output's height (positions)
 * @param outWidth its width
 */
export function centreReadout(inHeight: number, inWidth: number, outHeight: number, outWidth: number): Readout {
  return { row: centreIndex(inHeight, outHeight), col: centreIndex(inWidth, outWidth) };
}
