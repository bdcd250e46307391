import { describe, expect, it } from 'vitest';
import { centreReadout } from './centreReadout';

/** Input pixel at the centre of output pixel j of a conv (kernel k, stride s, symmetric padding p). */
const receptiveCentre = (j: number, k: number, s: number, p: number) => j * s - p + (k - 1) / 2;

describe('centreReadout', () => {
  it('reads a stride-1 same conv at the centre pixel: 16 of 32 (ties to the larger index), 15 of 31', () => {
    expect(centreReadout(32, 32, 32, 32)).toEqual({ row: 16, col: 16 });
    expect(centreReadout(31, 31, 31, 31)).toEqual({ row: 15, col: 15 });
    expect(centreReadout(48, 96, 48, 96)).toEqual({ row: 24, col: 48 });
  });

  it('picks the output whose receptive-field centre is nearest the image centre for valid and strided convs', () => {
    // 7×7 valid on 32: 26 outputs, output j is centred on input j + 3; input 16 ↔ j = 13.
    expect(centreReadout(32, 32, 26, 26)).toEqual({ row: 13, col: 13 });
    expect(receptiveCentre(13, 7, 1, 0)).toBe(16);
    // 3×3 stride 2, pads 1 on 32: 16 outputs, output j centred on input 2j; input 16 ↔ j = 8.
    expect(centreReadout(32, 32, 16, 16)).toEqual({ row: 8, col: 8 });
    expect(receptiveCentre(8, 3, 2, 1)).toBe(16);
    // Non-square: each axis on its own.
    expect(centreReadout(48, 320, 3, 80)).toEqual({ row: 1, col: 40 });
  });

  it('a dense layer (1 × 1) reads its only position; bad sizes throw', () => {
    expect(centreReadout(32, 32, 1, 1)).toEqual({ row: 0, col: 0 });
    expect(centreReadout(28, 28, 1, 2)).toEqual({ row: 0, col: 1 });
    expect(() => centreReadout(32, 32, 0, 4)).toThrow(RangeError);
  });
});
