/**
 * Header validation: every malformed header gives one specific FormatError code, and the message names the
 * file (and the tensor, where one is at fault).
 */
import { describe, expect, it } from 'vitest';
import type { FormatErrorCode } from '../formatError';
import { FormatError } from '../formatError';
import { buildSafetensors, concatBytes, entry } from '../testing/buildSafetensors';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { MAX_HEADER_BYTES } from './parseSafetensorsHeader';
import { readSafetensors } from './readSafetensors';

const FILE = 'case.safetensors';
const data16 = new Uint8Array(16);
const ok = entry('F32', [2, 2], 0, 16);

/** name, bytes, expected code, words the message must contain. */
const CASES: [string, Uint8Array, FormatErrorCode, string[]][] = [
  ['empty file', new Uint8Array(0), 'TRUNCATED', ['0 bytes']],
  ['7-byte file', new Uint8Array(7), 'TRUNCATED', ['7 bytes']],
  ['header length 0', buildSafetensors({ header: '', data: data16 }), 'BAD_HEADER_JSON', ['0']],
  ['header length past the end', buildSafetensors({ header: { w: ok }, headerLength: 1000 }), 'TRUNCATED', ['1000']],
  ['header length 2^60', buildSafetensors({ header: { w: ok }, headerLength: 2n ** 60n }), 'HEADER_TOO_LARGE', ['1152921504606846976']],
  ['header length 2^64 − 1', buildSafetensors({ header: '{}', headerLength: 2n ** 64n - 1n }), 'HEADER_TOO_LARGE', ['18446744073709551615']],
  ['header length 100 MiB + 1', buildSafetensors({ header: '{}', headerLength: MAX_HEADER_BYTES + 1 }), 'HEADER_TOO_LARGE', ['100 MiB']],
  ['invalid UTF-8', concatBytes(buildSafetensors({ header: '', headerLength: 4 }), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'BAD_HEADER_JSON', ['UTF-8']],
  ['invalid JSON', buildSafetensors({ header: '{"w": {"dtype": "F32",,}', data: data16 }), 'BAD_HEADER_JSON', ['not valid JSON']],
  ['JSON array', buildSafetensors({ header: '[1, 2]' }), 'BAD_HEADER_JSON', ['not an object']],
  ['JSON null', buildSafetensors({ header: 'null' }), 'BAD_HEADER_JSON', ['not an object']],
  ['entry not an object', buildSafetensors({ header: { w: 5 }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['entry null', buildSafetensors({ header: { w: null }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['dtype missing', buildSafetensors({ header: { w: { shape: [4], data_offsets: [0, 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'dtype']],
  ['dtype a number', buildSafetensors({ header: { w: { dtype: 32, shape: [4], data_offsets: [0, 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'dtype']],
  ['shape not an array', buildSafetensors({ header: { w: { dtype: 'F32', shape: 4, data_offsets: [0, 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'shape']],
  ['shape negative', buildSafetensors({ header: { w: entry('F32', [-4], 0, 16) }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'shape']],
  ['shape fractional', buildSafetensors({ header: { w: entry('F32', [2.5, 2], 0, 16) }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'shape']],
  ['shape beyond 2^53', buildSafetensors({ header: '{"w":{"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,16]}}', data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['shape of strings', buildSafetensors({ header: { w: { dtype: 'F32', shape: ['4'], data_offsets: [0, 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['offsets missing', buildSafetensors({ header: { w: { dtype: 'F32', shape: [4] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', 'data_offsets']],
  ['three offsets', buildSafetensors({ header: { w: { dtype: 'F32', shape: [4], data_offsets: [0, 8, 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['negative offset', buildSafetensors({ header: { w: entry('F32', [4], -16, 0) }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['offsets reversed', buildSafetensors({ header: { w: entry('F32', [0], 16, 0) }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"', '[16, 0]']],
  ['offset a string', buildSafetensors({ header: { w: { dtype: 'F32', shape: [4], data_offsets: ['0', 16] } }, data: data16 }), 'BAD_HEADER_ENTRY', ['"w"']],
  ['metadata not an object', buildSafetensors({ header: { __metadata__: 'pt', w: ok }, data: data16 }), 'BAD_HEADER_ENTRY', ['__metadata__']],
  ['size mismatch', buildSafetensors({ header: { w: entry('F32', [3, 2], 0, 16) }, data: data16 }), 'SIZE_MISMATCH', ['"w"', '24 bytes', '16']],
  ['size mismatch F16', buildSafetensors({ header: { h: entry('F16', [4], 0, 16) }, data: data16 }), 'SIZE_MISMATCH', ['"h"', '8 bytes']],
  ['huge shape', buildSafetensors({ header: { w: entry('F32', [2 ** 40, 2 ** 40], 0, 16) }, data: data16 }), 'SIZE_MISMATCH', ['"w"']],
  ['out of bounds', buildSafetensors({ header: { w: entry('F32', [4, 4], 0, 64) }, data: data16 }), 'OFFSETS_OUT_OF_BOUNDS', ['"w"', '64', 'bytes']],
  ['out of bounds at an offset', buildSafetensors({ header: { a: ok, b: entry('F32', [4], 16, 32) }, data: data16 }), 'OFFSETS_OUT_OF_BOUNDS', ['"b"']],
  ['overlap', buildSafetensors({ header: { a: entry('F32', [3], 0, 12), b: entry('F32', [2], 8, 16) }, data: data16 }), 'OFFSETS_OVERLAP', ['"a"', '"b"']],
  ['contained overlap', buildSafetensors({ header: { a: entry('F32', [4], 0, 16), b: entry('F32', [1], 4, 8) }, data: data16 }), 'OFFSETS_OVERLAP', ['"a"', '"b"']],
  ['same range twice', buildSafetensors({ header: { a: ok, b: ok }, data: data16 }), 'OFFSETS_OVERLAP', ['"a"', '"b"']],
];

describe('safetensors header validation', () => {
  it.each(CASES)('%s → %s', async (_name, bytes, code, words) => {
    const error = await readSafetensors(namedFile(FILE, bytes)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FormatError);
    const e = error as FormatError;
    expect(e.code).toBe(code);
    expect(e.file).toBe(FILE);
    expect(e.message).toContain(FILE);
    for (const word of words) expect(e.message).toContain(word);
    expect(e.remedy.length).toBeGreaterThan(10);
  });

  it('rejects a 100 MiB + 1 header of a large file without reading or allocating it', async () => {
    const prefix = buildSafetensors({ header: '', headerLength: MAX_HEADER_BYTES + 1 });
    const file = countingFile(FILE, prefix, { size: 2 * MAX_HEADER_BYTES });
    await expect(readSafetensors(file)).rejects.toMatchObject({ code: 'HEADER_TOO_LARGE' });
    expect(file.ranges).toEqual([[0, 8]]);
  });

  it('accepts a header of exactly the declared length with trailing spaces, gaps and zero-size tensors', async () => {
    const header = JSON.stringify({ a: entry('F32', [2], 0, 8), z: entry('F32', [0, 3], 8, 8), b: entry('F32', [1], 12, 16) }) + '   ';
    const st = await readSafetensors(namedFile(FILE, buildSafetensors({ header, data: data16 })));
    expect(st.tensors.map((t) => t.name)).toEqual(['a', 'z', 'b']);
  });

  it('tolerates non-string metadata values (kept as JSON text) and odd tensor names', async () => {
    const header = '{"__metadata__":{"format":"pt","total":3},"__proto__":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}';
    const st = await readSafetensors(namedFile(FILE, buildSafetensors({ header, data: data16 })));
    expect(st.metadata).toEqual({ format: 'pt', total: '3' });
    expect(st.tensors.map((t) => t.name)).toEqual(['__proto__']);
  });
});
