/**
 * Small guards and descriptions for parsed JSON of unknown shape. Descriptions never serialise whole
 * values: hostile JSON can nest deeper than `JSON.stringify` can recurse.
 */

/** Whether a value is a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value for messages: primitives as written (strings cut at 40 characters), containers by kind. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'string') {
    // Control characters are exactly what this escapes.
    // eslint-disable-next-line no-control-regex
    const shown = value.slice(0, 40).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return `"${shown}${value.length > 40 ? '…' : ''}"`;
  }
  return String(value);
}

/** A JSON value as a metadata string when it is a primitive; `undefined` for containers and absent values. */
export function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
