import { describe, expect, it } from 'vitest';
import { hdf5ErrorMessages, problemFromDiagnostics } from './hdf5Diagnostics';

const stack = (...lines: string[]) =>
  [
    'HDF5-DIAG: Error detected in HDF5 (2.0.0):',
    ...lines.flatMap((l, i) => [`  #${String(i).padStart(3, '0')}: /src/H5X.c line ${i} in ${l}`, '    major: Some major', '    minor: Some minor']),
  ].join('\n');
const FALLBACK = { reason: 'corrupt' as const, detail: 'opening: error - name not defined!' };

describe('problemFromDiagnostics', () => {
  it('reads a truncated superblock as truncated, with both sizes', () => {
    const text = stack('H5Fopen(): unable to open file', 'H5F__super_read(): truncated file: eof = 200, sblock->base_addr = 0, stored_eof = 6448');
    expect(problemFromDiagnostics(text, FALLBACK)).toMatchObject({ reason: 'truncated', actualBytes: 200, expectedBytes: 6448 });
  });

  it('takes the innermost message of the first stack as the detail', () => {
    const text = `${stack('H5Gopen2(): unable to open group', 'H5C__load_entry(): incorrect metadata checksum after all read attempts')}\n${stack('H5Oopen(): other')}`;
    expect(hdf5ErrorMessages(text)).toEqual(['unable to open group', 'incorrect metadata checksum after all read attempts']);
    expect(problemFromDiagnostics(text, FALLBACK)).toEqual({ reason: 'corrupt', detail: 'incorrect metadata checksum after all read attempts' });
  });

  it('recognises a missing signature and a missing filter; falls back when HDF5 printed nothing', () => {
    expect(problemFromDiagnostics(stack('H5F_open(): unable to read superblock', 'H5FD_locate_signature(): file signature not found'), FALLBACK).reason).toBe('not-hdf5');
    const filter = stack('H5Dread(): can\'t read data', 'H5Z_pipeline(): required filter \'blosc\' is not registered');
    expect(problemFromDiagnostics(filter, FALLBACK)).toEqual({ reason: 'unsupported-filter', detail: "required filter 'blosc' is not registered" });
    expect(problemFromDiagnostics('', FALLBACK)).toEqual(FALLBACK);
  });
});
