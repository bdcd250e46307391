/**
 * The shared harness of the readers' fuzz tests: open the files, read every tensor, and report the outcome
 * ('opened' or the FormatError code). Anything else thrown, or a case slower than its time limit, fails.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import type { FormatReader } from '../formatReader';
import { FORMAT_READERS, openModel } from '../registry';

/** Give a generated value a readable name in fast-check's counterexamples. */
export const labelled = <T extends object>(text: string, value: T): T => Object.assign(value, { [fc.toStringMethod]: () => text });

/** Open and read everything; resolve with 'opened' or the FormatError code; reject on anything else. */
async function exercise(files: readonly NamedBlob[], readers: readonly FormatReader[]): Promise<string> {
  try {
    const model = await openModel(files, readers);
    for (const t of model.tensors) {
      try {
        const v = await t.read();
        if (v.length !== t.size) throw new Error(`tensor ${t.name}: read ${v.length} values, size is ${t.size}`);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
      }
    }
    return 'opened';
  } catch (error) {
    if (error instanceof FormatError) return error.code;
    throw error;
  }
}

/** One fuzz case with a time limit: a hang becomes a failure instead of a stuck test run. */
export async function fuzzCase(
  files: readonly NamedBlob[],
  { readers = FORMAT_READERS, timeLimitMs = 2000 }: { readers?: readonly FormatReader[]; timeLimitMs?: number } = {},
): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case took over ${timeLimitMs} ms`)), timeLimitMs);
  });
  const start = performance.now();
  try {
    return await Promise.race([exercise(files, readers), timeout]);
  } finally {
    clearTimeout(timer);
    expect(performance.now() - start).toBeLessThan(timeLimitMs);
  }
}
