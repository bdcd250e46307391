/**
 * The weights manifest of a TF.js model, validated (tfjs-core `io/types.ts`): `WeightsManifestConfig` is an
 * array of groups `{paths: string[], weights: WeightsManifestEntry[]}`; an entry is `{name, shape, dtype,
 * group?, quantization?}`. A group's weights are stored back to back, in order, in the concatenation of its
 * `paths` (tfjs-core `weightsLoaderFactory`), so a weight may straddle two shard files.
 */
import { FormatError } from '../formatError';
import { describeJsonValue, isPlainObject } from './jsonValues';

/** One manifest entry (a weight). */
export interface ManifestEntry {
  readonly name: string;
  /** Safe non-negative integers (validated). */
  readonly shape: readonly number[];
  /** The stored `dtype` string: `float32`, `int32`, `bool`, `string`, `complex64`, or anything a writer put there. */
  readonly dtype: string;
  /** Whether the entry has a `quantization` key (tfjs-core tests `'quantization' in spec`, whatever its value). */
  readonly quantized: boolean;
  /** The `quantization` value as written (checked later, where an odd value only makes this weight unsupported). */
  readonly quantization: unknown;
  /** The entry's `group` (`model` or `optimizer`), if any. */
  readonly role?: string;
}

/** One group of the manifest. */
export interface ManifestGroup {
  /** 0-based position in the manifest. */
  readonly index: number;
  /** Shard paths, in order, as written (relative URLs). */
  readonly paths: readonly string[];
  readonly weights: readonly ManifestEntry[];
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function entryOf(value: unknown, where: string, file: string): ManifestEntry {
  const bad = (what: string) => new FormatError('BAD_HEADER_ENTRY', `${where} of "${file}" is not a valid weight entry: ${what}.`, { file });
  if (!isPlainObject(value)) throw bad(`expected {name, shape, dtype}, found ${describeJsonValue(value)}`);
  const { name, shape, dtype, group } = value;
  if (typeof name !== 'string') throw bad(`"name" must be a string, found ${describeJsonValue(name)}`);
  const named = `weight "${name}" (${where})`;
  const badNamed = (what: string) => new FormatError('BAD_HEADER_ENTRY', `The manifest entry of ${named} in "${file}" is invalid: ${what}.`, { file });
  if (!Array.isArray(shape)) throw badNamed(`"shape" must be an array of dimensions, found ${describeJsonValue(shape)}`);
  if (!shape.every(isDimension)) {
    throw badNamed(`every dimension must be a non-negative integer below 2^53, found ${describeJsonValue(shape.find((d) => !isDimension(d)))} in the shape`);
  }
  if (typeof dtype !== 'string') throw badNamed(`"dtype" must be a string, found ${describeJsonValue(dtype)}`);
  const entry = { name, shape: shape as number[], dtype, quantized: Object.hasOwn(value, 'quantization'), quantization: value.quantization };
  return typeof group === 'string' ? { ...entry, role: group } : entry;
}

function groupOf(value: unknown, index: number, file: string): ManifestGroup {
  const where = `weights group ${index + 1}`;
  const bad = (what: string) => new FormatError('BAD_STRUCTURE', `The ${where} of "${file}" ${what}.`, { file });
  if (!isPlainObject(value)) throw bad(`should be {paths, weights}, found ${describeJsonValue(value)}`);
  const { paths, weights } = value;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw bad(`needs "paths", a list of shard file names, found ${describeJsonValue(paths)}`);
  }
  if (!Array.isArray(weights)) throw bad(`needs "weights", a list of weight entries, found ${describeJsonValue(weights)}`);
  return { index, paths: paths as string[], weights: Array.from(weights, (w: unknown, i) => entryOf(w, `entry ${i + 1} of ${where}`, file)) };
}

/**
 * Validate a `weightsManifest` value.
 *
 * @param value the parsed manifest (an array of groups)
 * @param file the JSON file's name, for errors
 * @throws FormatError `BAD_STRUCTURE` when the manifest or a group is not shaped as tfjs-core writes it;
 *   `BAD_HEADER_ENTRY` for an entry without a string name, a list of safe non-negative integer dimensions,
 *   and a string dtype
 */
export function parseWeightsManifest(value: unknown, file: string): ManifestGroup[] {
  if (!Array.isArray(value)) {
    throw new FormatError('BAD_STRUCTURE', `The "weightsManifest" of "${file}" should be a list of weight groups, found ${describeJsonValue(value)}.`, { file });
  }
  return Array.from(value, (group: unknown, i) => groupOf(group, i, file));
}
