import { describe, expect, it } from 'vitest';
import { samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import type { DecodeSize, ImageDecoder, PathedFile } from './imageInputs';
import { ImageInputError, decodeLabelledImages, decodeNotes, labelFiles, loadLabelledImages, pickedFolderFiles, sourceRect, splitByClass } from './imageInputs';

const png = (name: string, type = 'image/png', bytes = 10): File => new File([new Uint8Array(bytes)], name, { type });
const at = (path: string, type?: string): PathedFile => ({ file: png(path.split('/').pop() ?? path, type), path });

/** A decoder that paints each image one grey (its file size) and fails on files named bad*. */
const fakeDecode: ImageDecoder = async (file, size) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  if (file.name.startsWith('bad')) throw new ImageInputError('could not be decoded as an image (image/png, 10 B: broken)');
  if (file.name.startsWith('boom')) throw new Error('unexpected');
  const pixels = new Uint8ClampedArray(4 * size.width * size.height).fill(file.size);
  return { pixels, thumbnail: `data:${file.name}`, sourceWidth: 16, sourceHeight: 16 };
};
const size32: DecodeSize = { height: 32, width: 32, resize: 'stretch' };

describe('splitByClass', () => {
  it('labels by the first folder under the root, sorts, and sets aside loose and system files', () => {
    const drop = [at('shapes/dog/2.png'), at('shapes/cat/10.png'), at('shapes/cat/9.png'), at('shapes/loose.png'), at('shapes/.DS_Store')];
    const { labelled, unlabelled, ignored } = splitByClass(drop);
    expect(labelled.map((e) => [e.label, e.path])).toEqual([
      ['cat', 'shapes/cat/9.png'],
      ['cat', 'shapes/cat/10.png'],
      ['dog', 'shapes/dog/2.png'],
    ]);
    expect(unlabelled.map((e) => e.path)).toEqual(['shapes/loose.png']);
    expect(ignored).toEqual(['shapes/.DS_Store']);
  });
  it('keeps typed class names, whatever the paths', () => {
    const picked = labelFiles([png('a.png'), png('b.png')], ' cat ');
    expect(picked.map((e) => [e.label, e.path])).toEqual([
      ['cat', 'cat/a.png'],
      ['cat', 'cat/b.png'],
    ]);
    const { labelled } = splitByClass([...picked, at('dogs/1.png')]);
    expect(labelled.map((e) => e.label)).toEqual(['cat', 'cat', 'dogs']);
  });
  it('reads a folder picker’s relative paths', () => {
    const file = png('1.png');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'shapes/cat/1.png' });
    expect(pickedFolderFiles([file])[0]?.path).toBe('shapes/cat/1.png');
  });
});

describe('decodeLabelledImages', () => {
  it('keeps going past bad files, saying why each failed, in order, with progress', async () => {
    const entries = splitByClass([at('s/cat/1.png'), at('s/cat/bad.png'), at('s/dog/notes.txt', 'text/plain'), at('s/dog/boom.png'), at('s/dog/2.png')]).labelled;
    const progress: [number, number][] = [];
    const result = await decodeLabelledImages(entries, size32, { decode: fakeDecode, onProgress: (d, t) => progress.push([d, t]) });
    expect(result.images.map((i) => [i.name, i.className])).toEqual([
      ['s/cat/1.png', 'cat'],
      ['s/dog/2.png', 'dog'],
    ]);
    expect(result.failures).toEqual([
      { name: 's/cat/bad.png', reason: 'could not be decoded as an image (image/png, 10 B: broken)' },
      { name: 's/dog/boom.png', reason: 'could not be decoded as an image (image/png, 10 B: unexpected)' },
      { name: 's/dog/notes.txt', reason: 'is not an image (text/plain, 10 B)' },
    ]);
    expect(progress[0]).toEqual([0, 5]);
    expect(progress[progress.length - 1]).toEqual([5, 5]);
    expect(result.notes).toEqual(['2 images smaller than 32×32 were enlarged.']);
  });

  it('reports a decoder that returns the wrong size instead of passing it on', async () => {
    const wrong: ImageDecoder = async () => ({ pixels: new Uint8ClampedArray(4 * 10), thumbnail: '', sourceWidth: 10, sourceHeight: 1 });
    const result = await decodeLabelledImages([{ ...at('c/1.png'), label: 'c' }], size32, { decode: wrong });
    expect(result.failures[0]?.reason).toBe('was decoded at the wrong size (10 pixels, expected 32×32)');
  });

  it('stops when cancelled, rejecting with an AbortError', async () => {
    const abort = new AbortController();
    const entries = Array.from({ length: 20 }, (_, i) => ({ ...at(`c/${i}.png`), label: 'c' }));
    const promise = decodeLabelledImages(entries, size32, {
      decode: fakeDecode,
      signal: abort.signal,
      onProgress: (done) => done === 3 && abort.abort(),
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('loadLabelledImages', () => {
  it('gives a normalised batch with labels, names, thumbnails and the loose files', async () => {
    const drop = [at('s/b/1.png'), at('s/a/1.png'), at('s/a/2.png'), at('s/x.png')];
    const loaded = await loadLabelledImages(drop, samplePreprocessing, { decode: fakeDecode });
    expect(loaded.classes).toEqual(['a', 'b']);
    expect(loaded.labels).toEqual([0, 0, 1]);
    expect(loaded.names).toEqual(['s/a/1.png', 's/a/2.png', 's/b/1.png']);
    expect(loaded.thumbnails).toEqual(['data:1.png', 'data:2.png', 'data:1.png']);
    expect(loaded.batch.shape).toEqual([3, 32, 32, 1]);
    // Grey 10 inverted: (255 − 10) / 255.
    expect(loaded.batch.data[0]).toBeCloseTo(245 / 255, 5);
    expect(loaded.unlabelled.map((e) => e.path)).toEqual(['s/x.png']);
    expect(loaded.size).toEqual(size32);
  });
  it('refuses unusable settings up front', async () => {
    await expect(loadLabelledImages([], { ...samplePreprocessing, std: [0] }, { decode: fakeDecode })).rejects.toThrow(/not usable: Std values/);
  });
});

describe('resizing', () => {
  it('crops the centre to the target proportions, or takes the whole image', () => {
    expect(sourceRect(200, 100, { height: 50, width: 50, resize: 'center-crop' })).toEqual([50, 0, 100, 100]);
    expect(sourceRect(100, 200, { height: 50, width: 50, resize: 'center-crop' })).toEqual([0, 50, 100, 100]);
    expect(sourceRect(200, 100, { height: 50, width: 50, resize: 'stretch' })).toEqual([0, 0, 200, 100]);
  });
  it('notes stretched proportions', () => {
    const image = { name: 'a', className: 'c', pixels: new Uint8ClampedArray(0), thumbnail: '', sourceWidth: 400, sourceHeight: 200 };
    expect(decodeNotes([image], size32)).toEqual(['1 image of other proportions was stretched to 32×32; “center crop” keeps proportions.']);
    expect(decodeNotes([image], { ...size32, resize: 'center-crop' })).toEqual([]);
  });
});
