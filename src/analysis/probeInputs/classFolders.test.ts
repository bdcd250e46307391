import { describe, expect, it } from 'vitest';
import { baseName, classesFromPaths, isIgnoredPath, naturalCompare } from './classFolders';
import { buildLabelledInputs, classList, countPerClass } from './labelledSet';
import { samplePreprocessing } from './inputSpec';

describe('classesFromPaths', () => {
  it('takes the first folder under a dropped or picked root', () => {
    expect(classesFromPaths(['shapes/cat/1.png', 'shapes/dog/2.png', 'shapes/cat/tabby/3.png'])).toEqual(['cat', 'dog', 'cat']);
    expect(classesFromPaths(['/shapes/cat/1.png'])).toEqual(['cat']);
  });
  it('returns null for files directly in the root', () => {
    expect(classesFromPaths(['shapes/readme.png', 'shapes/cat/1.png'])).toEqual([null, 'cat']);
    expect(classesFromPaths(['1.png', '2.png'])).toEqual([null, null]);
  });
  it('uses the folders themselves when several class folders, or one, were dropped', () => {
    expect(classesFromPaths(['cat/1.png', 'dog/1.png'])).toEqual(['cat', 'dog']);
    expect(classesFromPaths(['cat/1.png', 'cat/2.png'])).toEqual(['cat', 'cat']);
    expect(classesFromPaths(['data\\cat\\1.png', 'data\\dog\\2.png'])).toEqual(['cat', 'dog']);
  });
  it('skips system clutter and sorts names naturally', () => {
    expect(isIgnoredPath('shapes/.DS_Store')).toBe(true);
    expect(isIgnoredPath('__MACOSX/shapes/cat/1.png')).toBe(true);
    expect(isIgnoredPath('shapes/cat/1.png')).toBe(false);
    expect(['10', '9', 'b', 'A'].sort(naturalCompare)).toEqual(['9', '10', 'A', 'b']);
    expect(baseName('shapes/cat/1.png')).toBe('1.png');
  });
});

describe('buildLabelledInputs', () => {
  const px = new Uint8ClampedArray(32 * 32 * 4).fill(255);
  it('labels classes in natural order unless an order is given', () => {
    const images = [
      { name: '10/a.png', className: '10', pixels: px },
      { name: '2/b.png', className: '2', pixels: px },
      { name: '2/c.png', className: '2', pixels: px },
    ];
    const inputs = buildLabelledInputs(images, samplePreprocessing);
    expect(inputs.classes).toEqual(['2', '10']);
    expect(inputs.labels).toEqual([1, 0, 0]);
    expect(countPerClass(inputs)).toEqual([2, 1]);
    expect(inputs.batch.shape).toEqual([3, 32, 32, 1]);
    expect(inputs.batch.data[0]).toBe(0); // white, inverted
    expect(buildLabelledInputs(images, samplePreprocessing, ['10', 'x']).classes).toEqual(['10', 'x', '2']);
    expect(classList(images, ['10', 'x'])).toEqual(['10', '2']);
  });
});
