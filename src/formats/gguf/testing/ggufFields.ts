/**
 * The count, length, type, dimension and offset fields of a well-formed GGUF file, found by walking it
 * (docs/gguf.md layout), so that fuzz tests can overwrite exactly those fields with hostile values.
 */
import type { Field } from '../../testing/byteMutations';

/** What a field holds, so fuzz tests can aim at one kind. */
export type GgufFieldKind = 'version' | 'count' | 'length' | 'valueType' | 'ggmlType' | 'nDims' | 'dim' | 'offset';

/** A field of a GGUF file. */
export interface GgufField extends Field {
  readonly kind: GgufFieldKind;
}

/** Bytes of each fixed-size value type. */
const FIXED: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/**
 * Every field of a well-formed GGUF file, in file order. Stops quietly at anything malformed (the input is
 * meant to be a file written by `writeGguf`).
 */
export function ggufFields(bytes: Uint8Array): GgufField[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: GgufField[] = [];
  let at = 0;
  const add = (kind: GgufFieldKind, width: 4 | 8): number => {
    fields.push({ at, width, kind });
    const value = width === 4 ? view.getUint32(at, true) : Number(view.getBigUint64(at, true));
    at += width;
    return value;
  };
  const string = () => (at += add('length', 8));
  const value = (type: number): void => {
    if (FIXED[type] !== undefined) at += FIXED[type];
    else if (type === 8) string();
    else if (type === 9) {
      const itemType = add('valueType', 4);
      const n = add('count', 8);
      for (let i = 0; i < n; i++) value(itemType);
    } else throw new RangeError(`value type ${type}`);
  };
  try {
    at = 4;
    add('version', 4);
    const tensors = add('count', 8);
    const kvs = add('count', 8);
    for (let i = 0; i < kvs; i++) {
      string();
      value(add('valueType', 4));
    }
    for (let i = 0; i < tensors; i++) {
      string();
      const dims = add('nDims', 4);
      for (let d = 0; d < dims; d++) add('dim', 8);
      add('ggmlType', 4);
      add('offset', 8);
    }
  } catch {
    // A malformed file: the fields found so far are all there is.
  }
  return fields.filter((f) => f.at + f.width <= bytes.length);
}
