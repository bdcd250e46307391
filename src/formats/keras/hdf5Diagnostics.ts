/**
 * Turn HDF5's printed error stack into an {@link Hdf5Problem}. HDF5's default error handler (`H5Eprint2`)
 * writes a stack per failed API call to stderr, outermost call first:
 *
 * ```text
 * HDF5-DIAG: Error detected in HDF5 (2.0.0):
 *   #000: …/H5F.c line 821 in H5Fopen(): unable to synchronously open file
 *     major: File accessibility
 *   …
 *   #007: …/H5Fsuper.c line 620 in H5F__super_read(): truncated file: eof = 200, sblock->base_addr = 0, stored_eof = 6448
 * ```
 *
 * The innermost entry of the first stack says what is wrong; the rest is the call path.
 */
import type { Hdf5Problem, Hdf5ProblemReason } from './hdf5Snapshot';

/** Longest detail kept, in characters. */
const MAX_DETAIL = 200;

/** The messages of the first error stack in `text`, outermost first, without file, line and function. */
export function hdf5ErrorMessages(text: string): string[] {
  const stacks = text.split('HDF5-DIAG:').slice(1);
  const first = stacks[0] ?? '';
  const messages: string[] = [];
  for (const line of first.split('\n')) {
    const entry = /^\s*#\d+:.*? in [\w$]+\(\): (.*)$/.exec(line);
    if (entry) messages.push((entry[1] as string).trim());
  }
  return messages;
}

/**
 * The problem HDF5's stderr describes, or `fallback` when it printed nothing useful.
 *
 * - `truncated file: eof = A, … stored_eof = B` (H5Fsuper.c) → `truncated` with actual A and expected B bytes;
 * - `file signature not found` (H5Fsuper.c, no `\x89HDF\r\n\x1a\n` at 0, 512, 1024, …) → `not-hdf5`;
 * - a missing filter (H5Z.c: `required filter … is not registered`, plugin load failures) → `unsupported-filter`;
 * - anything else → `corrupt`, with HDF5's innermost message as the detail.
 */
export function problemFromDiagnostics(text: string, fallback: { reason: Hdf5ProblemReason; detail: string }): Hdf5Problem {
  const truncated = /truncated file: eof = (\d+),.*?stored_eof = (\d+)/.exec(text);
  if (truncated) {
    return {
      reason: 'truncated',
      detail: (truncated[0] as string).slice(0, MAX_DETAIL),
      actualBytes: Number(truncated[1]),
      expectedBytes: Number(truncated[2]),
    };
  }
  const messages = hdf5ErrorMessages(text);
  const innermost = messages.at(-1);
  if (/file signature not found/.test(text)) return { reason: 'not-hdf5', detail: 'file signature not found' };
  if (/required filter .* not registered|can't (?:open|load|find) (?:plugin|directory)|filter (?:is )?not available/i.test(text)) {
    const filter = messages.find((m) => /filter/i.test(m)) ?? innermost ?? fallback.detail;
    return { reason: 'unsupported-filter', detail: filter.slice(0, MAX_DETAIL) };
  }
  if (innermost === undefined) return { reason: fallback.reason, detail: fallback.detail.slice(0, MAX_DETAIL) };
  return { reason: 'corrupt', detail: innermost.slice(0, MAX_DETAIL) };
}
