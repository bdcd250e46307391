/**
 * Where the shared reference numbers live (`shared/fixtures` beside the repository: numpy float64 singular
 * values and WeightWatcher outputs of real models). `MRI_REFERENCE_FIXTURES` overrides the location.
 * In CI their absence is a failure, not a skip: real-model parity must not silently stop being tested.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REFERENCE_DIR = process.env.MRI_REFERENCE_FIXTURES ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures');

/** Whether the reference files are here; throws in CI when they are not. */
export function haveReferenceFixtures(): boolean {
  if (existsSync(REFERENCE_DIR)) return true;
  if (process.env.CI) throw new Error(`The reference fixtures are missing (looked in ${REFERENCE_DIR}); set MRI_REFERENCE_FIXTURES.`);
  console.warn(`Real-model reference tests skipped: ${REFERENCE_DIR} is missing.`);
  return false;
}

export function readReference<T>(file: string): T {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, file), 'utf8')) as T;
}
