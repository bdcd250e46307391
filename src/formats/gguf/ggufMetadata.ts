/**
 * A GGUF header's metadata as the strings of `Model.metadata`: every key in file order (values abbreviated as
 * in ggufValue.ts: `tokenizer.ggml.tokens` becomes `[array of 151936 string]`), `general.file_type` with the
 * name llama.cpp gives it, and the format version as `gguf.version`.
 */
import type { GgufValue } from './ggufValue';
import { ggufValueText } from './ggufValue';

/**
 * llama.cpp's `llama_ftype` names (include/llama.h), which `general.file_type` stores: what most tensors of
 * the file are quantized to, e.g. 15 = Q4_K_M. Missing numbers were removed from llama.cpp.
 */
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4_MOE',
  39: 'NVFP4',
  40: 'Q1_0',
};

/** `general.file_type` with its name when known, e.g. `15 (Q4_K_M)`. */
function fileTypeText(value: GgufValue): string {
  const text = ggufValueText(value);
  const name = value.kind === 'number' ? FILE_TYPES[Number(value.value)] : undefined;
  return name === undefined ? text : `${text} (${name})`;
}

/**
 * The metadata strings of a header.
 *
 * @param metadata the header's values in file order
 * @param version the GGUF version, added as `gguf.version` (unless the file has such a key itself)
 */
export function ggufMetadataRecord(metadata: ReadonlyMap<string, GgufValue>, version: number): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [key, value] of metadata) entries.push([key, key === 'general.file_type' ? fileTypeText(value) : ggufValueText(value)]);
  if (!metadata.has('gguf.version')) entries.push(['gguf.version', String(version)]);
  // Object.fromEntries defines own properties, so a key like "__proto__" is an ordinary entry.
  return Object.fromEntries(entries);
}
