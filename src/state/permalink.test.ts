import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONV_DEFINITIONS } from '../analysis/spectra/layerSpectrum';
import type { PermalinkState } from './permalink';
import { DEFAULT_PERMALINK, decodePermalink, encodePermalink } from './permalink';

const states: fc.Arbitrary<PermalinkState> = fc.record({
  source: fc.oneof(
    fc.constant(null),
    fc.record({ kind: fc.constant('sample' as const), id: fc.string({ minLength: 1 }) }),
    fc.record({ kind: fc.constant('url' as const), urls: fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('files' as const), names: fc.array(fc.string(), { minLength: 1, maxLength: 4 }) }),
  ),
  layer: fc.option(fc.string(), { nil: null }),
  view: fc.constantFrom('scan' as const, 'layer' as const, 'probe' as const, 'curves' as const, 'study' as const),
  checkpoint: fc.option(fc.string({ minLength: 1 }), { nil: null }),
  diff: fc.option(fc.record({ a: fc.string({ minLength: 1 }), b: fc.string({ minLength: 1 }), k: fc.integer({ min: 1, max: 256 }) }), { nil: null }),
  probe: fc.record({
    inputs: fc.constantFrom('builtin' as const, null),
    aggregate: fc.constantFrom('mean' as const, 'max' as const),
    threshold: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
    mode: fc.constantFrom('primal' as const, 'dual' as const),
    weighted: fc.boolean(),
    scope: fc.constantFrom('all' as const, 'layer' as const),
    direction: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  }),
  curves: fc.record({
    kind: fc.constantFrom('curve' as const, 'line' as const, 'angle' as const),
    radiusPx: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
    widthPx: fc.constantFrom(0.5, 1, 2, 3.5),
    lengthPx: fc.option(fc.integer({ min: 2, max: 500 }), { nil: null }),
    openingDeg: fc.integer({ min: 5, max: 175 }),
    darkOnLight: fc.boolean(),
    thetaStepDeg: fc.constantFrom(0.5, 1, 2, 2.5, 5, 10),
    heatmapStepDeg: fc.constantFrom(0.5, 1, 2, 2.5, 5, 10),
    stage: fc.constantFrom('pre' as const, 'post' as const),
    units: fc.constantFrom('channels' as const, 'directions' as const),
    scale: fc.constantFrom('raw' as const, 'z' as const),
    layout: fc.constantFrom('overlay' as const, 'grid' as const),
  }),
  curveUnit: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  metric: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/),
  conv: fc.constantFrom(...CONV_DEFINITIONS),
  operatorInputSize: fc.integer({ min: 1, max: 256 }),
  mpFit: fc.boolean(),
  normalization: fc.constantFrom('none' as const, 'per-row' as const, 'mp' as const),
  exactTail: fc.constantFrom('auto' as const, 'always' as const, 'off' as const),
  randomize: fc.boolean(),
  spectrumScale: fc.constantFrom('log' as const, 'linear' as const),
});

describe('permalinks', () => {
  it('decode(encode(s)) = s for every state (any layer name, file names, unicode)', () => {
    fc.assert(
      fc.property(states, (s) => {
        expect(decodePermalink(`?${encodePermalink(s)}`)).toEqual(s);
      }),
      { seed: 6, numRuns: 500 },
    );
  });

  it('are short for the defaults and versioned', () => {
    expect(encodePermalink(DEFAULT_PERMALINK)).toBe('v=1');
    expect(encodePermalink({ ...DEFAULT_PERMALINK, source: { kind: 'sample', id: 'stroke-cnn' }, layer: 'fc1.weight' })).toBe('v=1&sample=stroke-cnn&layer=fc1.weight');
  });

  it('old, hand-edited or hostile links decode to valid states', () => {
    expect(decodePermalink('?conv=bogus&n=-3&tail=never&mp=maybe&file=%7Bnot-json')).toEqual({ ...DEFAULT_PERMALINK, mpFit: false });
    expect(decodePermalink('')).toEqual(DEFAULT_PERMALINK);
    expect(decodePermalink('?file=%5B1%2C2%5D').source).toBeNull();
    expect(decodePermalink('?url=javascript:alert(1)&url=data:text/plain,x').source).toBeNull();
    expect(decodePermalink('?metric=a%22%3E%3Cscript%3E&view=admin&norm=zz')).toEqual(DEFAULT_PERMALINK);
  });

  it('keep model URLs, relative or absolute, in order', () => {
    const s = decodePermalink('?v=1&url=models/a.onnx&url=https://example.org/b.bin&view=layer&layer=x&norm=per-row');
    expect(s.source).toEqual({ kind: 'url', urls: ['models/a.onnx', 'https://example.org/b.bin'] });
    expect(s.view).toBe('layer');
    expect(s.normalization).toBe('per-row');
  });
});
