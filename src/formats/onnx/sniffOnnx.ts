/**
 * Recognise an ONNX model by its first bytes: a serialized `onnx.ModelProto` (protobuf wire format,
 * protobuf.dev/programming-guides/encoding). Writers emit fields in field-number order, so a model starts
 * with `ir_version` (field 1, varint: tag byte 0x08) followed by the other ModelProto fields.
 */

/** ModelProto field number → wire type (0 varint, 2 length-delimited), from onnx.proto (IR version 10). */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);

/** Text fields: their bytes must look like text (no control characters other than tab and newlines). */
const TEXT_FIELDS = new Set([2, 3, 4]);

/** IR versions accepted by the sniffer: 1 (October 2017) up to well beyond the current 11. */
const MAX_SNIFF_IR_VERSION = 64;

/** A varint at `at`, or `null` when it runs past `end` or past 10 bytes. Values over 2^53 lose precision (harmless here). */
function varint(bytes: Uint8Array, at: number, end: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 10 && at + i < end; i++) {
    const b = bytes[at + i] as number;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { value, next: at + i + 1 };
  }
  return null;
}

function looksLikeText(bytes: Uint8Array): boolean {
  return bytes.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

/**
 * Whether `head` (a file's first bytes) starts like an ONNX ModelProto: the first field is `ir_version` in
 * 1..64, and every further field that starts within `head` has a ModelProto field number with its proper wire
 * type; the name fields (producer, version, domain) must be text that fits in the file. A file truncated
 * later still matches, so that `open` can say it is truncated. Cheap, pure, never throws.
 *
 * @param head the first bytes of the file (the registry passes 64)
 * @param fileSize the whole file's size, which bounds declared lengths
 */
export function sniffOnnx(head: Uint8Array, fileSize: number): boolean {
  let at = 0;
  let fields = 0;
  while (at < head.length) {
    const tag = varint(head, at, head.length);
    if (tag === null) return fields > 0;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (MODEL_FIELDS.get(field) !== wireType || (fields === 0 && field !== 1)) return false;
    const value = varint(head, tag.next, head.length);
    if (value === null) return fields > 0;
    if (wireType === 0) {
      if (field === 1 && (value.value < 1 || value.value > MAX_SNIFF_IR_VERSION)) return false;
      at = value.next;
    } else {
      const end = value.next + value.value;
      // A name longer than the file, or not text, is not ONNX. Other fields may run past the end of a
      // truncated file: that is for `open` to report.
      if (TEXT_FIELDS.has(field) && (end > fileSize || !looksLikeText(head.subarray(value.next, Math.min(end, head.length))))) return false;
      at = end;
    }
    fields++;
  }
  return fields > 0;
}
