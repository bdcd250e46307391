/**
 * The training step of a checkpoint, read from its file name, and checkpoints ordered by it (issue 9: "order by
 * step parsed from file names, editable"). The step is only a sort key: the UI shows it and lets the user
 * change the order.
 *
 * The rule, `stepFromName(path)`:
 * 1. The path is split at `/` and `\`. The last part is the file; its stem drops the extension (the text from the
 *    last `.` when a letter follows it, e.g. `.safetensors`, `.pt`, `.bin`, `.ckpt`) and a shard suffix
 *    `-00001-of-00002`, which numbers files, not checkpoints.
 * 2. Keyword numbers: a number right after a keyword, with optional separators `_ - . = :` or a space between
 *    (`step_1000`, `epoch=3`, `iter3000`, `ckpt-00500`). The keyword must start the part or follow a
 *    non-letter, so `split7` is not `it 7`. Keywords, by priority (the finer counter wins when several appear,
 *    as in PyTorch Lightning's `epoch=3-step=1000.ckpt`):
 *    steps: `step`, `steps`, `global_step`, `globalstep`, `iter`, `iters`, `iteration`, `iterations`, `it`;
 *    then epochs: `epoch`, `epochs`, `ep`; then checkpoints: `checkpoint`, `checkpoints`, `ckpt`, `chkpt`.
 *    The stem is searched first, then the folders from the nearest outwards (`checkpoint-2500/model.safetensors`);
 *    in the first part with a keyword number, the highest-priority keyword's last occurrence wins.
 * 3. Otherwise the last stand-alone whole number of the stem: digits bounded by the start, the end or a
 *    character that is neither a letter nor a digit (`model-12.pt` → 12, `run_3_500` → 500; `gpt2` and `7b` are
 *    not numbers). Decimals without a suffix are skipped as metrics or versions (Keras `weights.05-0.42` → 5).
 * 4. Otherwise the nearest folder whose whole name is a number (`2500/model.safetensors`).
 * 5. Otherwise null (`model.safetensors`, `pytorch_model.bin`).
 * Numbers: leading zeros are ignored (`000100` → 100); a `k` or `M` suffix (either case) not followed by a
 * letter multiplies by 10³ or 10⁶ and may follow a decimal (`12k` → 12000, `1.5k` → 1500, `2M` → 2000000);
 * the result is rounded to an integer.
 */

/** One checkpoint in training order. */
export interface OrderedCheckpoint {
  /** The name as given. */
  readonly name: string;
  /** The parsed step, or null when the name has none. */
  readonly step: number | null;
  /** Position in the input list. */
  readonly index: number;
}

const STEP_KEYWORDS = ['global_step', 'globalstep', 'iterations', 'iteration', 'iters', 'iter', 'steps', 'step', 'it'];
const EPOCH_KEYWORDS = ['epochs', 'epoch', 'ep'];
const CHECKPOINT_KEYWORDS = ['checkpoints', 'checkpoint', 'chkpt', 'ckpt'];
/** Keyword groups, highest priority first. Longer spellings first within a group so the alternation takes them. */
const KEYWORD_GROUPS = [STEP_KEYWORDS, EPOCH_KEYWORDS, CHECKPOINT_KEYWORDS];
/** A number with an optional decimal part (only used with a suffix) and a k/M suffix not followed by a letter. */
const NUMBER = String.raw`(\d+(?:\.\d+)?)(?:([kKmM])(?![A-Za-z]))?`;
const KEYWORD_PATTERNS = KEYWORD_GROUPS.map(
  (group) => new RegExp(String.raw`(?:^|[^A-Za-z])(?:${group.join('|')})[_\-.=: ]*${NUMBER}`, 'gi'),
);
/** A stand-alone number: not glued to a letter or digit on either side (a k/M suffix is allowed). */
const STANDALONE_NUMBER = new RegExp(String.raw`(?<![A-Za-z0-9])(?<!\d\.)${NUMBER}(?![A-Za-z0-9])`, 'g');
const WHOLE_NUMBER = new RegExp(String.raw`^${NUMBER}$`);
const SHARD_SUFFIX = /[-_.]\d+-of-\d+$/i;
const EXTENSION = /\.[A-Za-z][A-Za-z0-9]*$/;

/**
 * The training step (or epoch, or iteration) a checkpoint's name gives, by the rule in the file comment.
 *
 * @param fileName A file name or a relative path (`run1/checkpoint-2500/model.safetensors`).
 * @returns A non-negative integer, or null when the name carries no step.
 */
export function stepFromName(fileName: string): number | null {
  const parts = fileName.split(/[/\\]/).filter((part) => part.length > 0);
  if (parts.length === 0) return null;
  const stem = (parts[parts.length - 1] as string).replace(EXTENSION, '').replace(SHARD_SUFFIX, '');
  const nearestFirst = [stem, ...parts.slice(0, -1).reverse()];
  for (const part of nearestFirst) {
    const step = keywordNumber(part);
    if (step !== null) return step;
  }
  // A decimal without a suffix is a metric or a version (Keras `weights.05-0.42`), not a step.
  const standalone = [...stem.matchAll(STANDALONE_NUMBER)].filter((m) => m[2] !== undefined || !(m[1] as string).includes('.'));
  const last = standalone[standalone.length - 1];
  if (last) return toNumber(last[1] as string, last[2]);
  for (const folder of nearestFirst.slice(1)) {
    const whole = WHOLE_NUMBER.exec(folder);
    if (whole) return toNumber(whole[1] as string, whole[2]);
  }
  return null;
}

/**
 * Checkpoints sorted by step, ascending. Names without a step follow, in input order; equal steps keep input
 * order too (a stable sort), so the result is deterministic.
 *
 * @param names File names or relative paths, in the order they were given.
 */
export function orderCheckpoints(names: readonly string[]): OrderedCheckpoint[] {
  const items = names.map((name, index) => ({ name, step: stepFromName(name), index }));
  const missing = (item: OrderedCheckpoint): number => (item.step === null ? 1 : 0);
  return items.sort((a, b) => missing(a) - missing(b) || (a.step ?? 0) - (b.step ?? 0) || a.index - b.index);
}

/** The last number after the highest-priority keyword found in `part`, or null. */
function keywordNumber(part: string): number | null {
  for (const pattern of KEYWORD_PATTERNS) {
    const matches = [...part.matchAll(pattern)];
    const last = matches[matches.length - 1];
    if (last) return toNumber(last[1] as string, last[2]);
  }
  return null;
}

/** Digits (with an optional decimal part) and an optional k/M suffix as an integer. */
function toNumber(digits: string, suffix: string | undefined): number | null {
  const value = Number(digits);
  const factor = suffix === undefined ? 1 : suffix.toLowerCase() === 'k' ? 1e3 : 1e6;
  // After a keyword, a decimal without a suffix (`epoch1.5`) counts by its integer part.
  const scaled = suffix === undefined ? Math.trunc(value) : value * factor;
  return Number.isFinite(scaled) ? Math.round(scaled) : null;
}
