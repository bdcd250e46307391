import { describe, expect, it } from 'vitest';
import { namedFile } from '../testing/memoryBlob';
import { kerasReader, sniffKeras } from './kerasReader';
import { buildZip } from './testing/buildKeras';

const HDF5 = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const file = (name: string) => namedFile(name, new Uint8Array(0));

describe('sniffKeras', () => {
  it('claims every HDF5 file by its signature at offset 0, whatever its name', () => {
    expect(sniffKeras(HDF5, file('weights.bin'))).toBe(true);
    expect(sniffKeras(HDF5.subarray(0, 7), file('x.h5'))).toBe(false);
    expect(sniffKeras(new TextEncoder().encode('{"w": 1}'), file('x.h5'))).toBe(false);
  });

  it('claims a zip named .keras, or whose first entry is model.weights.h5, and no other zip', () => {
    const weightsFirst = buildZip([['model.weights.h5', new Uint8Array(4)]]).subarray(0, 64);
    const other = buildZip([['archive/data.pkl', new Uint8Array(4)]]).subarray(0, 64);
    expect(sniffKeras(other, file('model.KERAS'))).toBe(true);
    expect(sniffKeras(weightsFirst, file('upload.zip'))).toBe(true);
    expect(sniffKeras(other, file('model.pt'))).toBe(false);
  });

  it('is the keras reader, for .keras, .h5 and .hdf5', () => {
    expect([kerasReader.id, kerasReader.extensions]).toEqual(['keras', ['.keras', '.h5', '.hdf5']]);
  });
});
