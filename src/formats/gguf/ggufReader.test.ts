import { describe, expect, it } from 'vitest';
import { openModel, supportedFormatsText } from '../registry';
import { onnxReader } from '../onnx/onnxReader';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { ggufReader, sniffGguf } from './ggufReader';
import { f32Bytes, gv, writeGguf } from './testing/writeGguf';

const READERS = [safetensorsReader, onnxReader, ggufReader];
const tiny = writeGguf({ metadata: [['general.architecture', gv.str('llama')]], tensors: [{ name: 'w', ne: [2, 2], type: 'F32', data: f32Bytes([1, 2, 3, 4]) }] });

describe('ggufReader', () => {
  it('sniffs the GGUF magic at offset 0, whatever the version', () => {
    expect(sniffGguf(tiny.subarray(0, 64))).toBe(true);
    expect(sniffGguf(writeGguf({ version: 1 }))).toBe(true);
    expect(sniffGguf(new TextEncoder().encode('GGUF'))).toBe(true);
    expect(sniffGguf(new TextEncoder().encode('GGU'))).toBe(false);
    expect(sniffGguf(new TextEncoder().encode('GGML\x01\x00\x00\x00'))).toBe(false);
    expect(sniffGguf(new TextEncoder().encode('xGGUF'))).toBe(false);
  });

  it('opens through the registry by magic under any name, and damaged files by extension', async () => {
    const model = await openModel([namedFile('weights.bin', tiny)], READERS);
    expect(model).toMatchObject({ format: 'gguf', name: 'weights.bin' });
    const damaged = tiny.slice();
    damaged[0] = 0;
    await expect(openModel([namedFile('model.gguf', damaged)], READERS)).rejects.toMatchObject({ code: 'BAD_STRUCTURE', file: 'model.gguf' });
    await expect(openModel([namedFile('model.gguf', writeGguf({ version: 1 }))], READERS)).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION' });
  });

  it('describes itself for the list of formats', () => {
    expect(supportedFormatsText([ggufReader])).toBe('GGUF (.gguf, F32, F16, BF16 and Q8_0 weights)');
  });
});
