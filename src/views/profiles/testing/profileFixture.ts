/** Test data for the profile views (tests only). */
import type { ClassProfile } from '../../../analysis/profiles';

/** Three classes over 8 directions: 0 shared by all, 2 only A, 5 only B, 3 in A and C, 7 in B and C; 1, 4, 6 unused; D has no inputs. */
export const PROFILES: readonly ClassProfile[] = [
  { label: 'A', count: 2, weights: Float64Array.from([1, 0, 0.6, 0.4, 0, 0, 0, 0]) },
  { label: 'B', count: 2, weights: Float64Array.from([1.5, 0, 0, 0, 0, 0.3, 0, 0.2]) },
  { label: 'C', count: 1, weights: Float64Array.from([0.5, 0, 0, 0.25, 0, 0, 0, 0.25]) },
  { label: 'D', count: 0, weights: new Float64Array(8) },
];

export const SIGMA = Float64Array.from([9, 8, 7, 6, 5, 4, 3, 2]);

/**
 * `classes` profiles over `rank` directions from a seeded LCG: each class uses a few random directions plus
 * direction 0 (shared), for layouts of realistic size.
 */
export function randomProfiles(classes: number, rank: number, perClass: number, seed = 1): ClassProfile[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: classes }, (_, c) => {
    const weights = new Float64Array(rank);
    weights[0] = 1 + next();
    for (let i = 0; i < perClass; i++) {
      const k = Math.floor(next() * rank);
      weights[k] = (weights[k] as number) + next();
    }
    return { label: `class ${c}`, count: 3, weights };
  });
}
