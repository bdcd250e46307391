import * as d3 from 'd3';
import { describe, expect, it } from 'vitest';
import { MISSING_COLOR, OKABE_ITO, metricColor, relativeLuminance, valueDomain } from './colorScales';

/** Colour-vision deficiency simulation, severity 1 (Machado, Oliveira & Fernandes 2009, Table 1), on linear RGB. */
const CVD: Record<string, readonly (readonly [number, number, number])[]> = {
  protan: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deutan: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritan: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

const toLinear = (v: number) => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** The colour as seen with a deficiency, in CIELAB. */
function seenLab(css: string, matrix: readonly (readonly [number, number, number])[]): d3.LabColor {
  const c = d3.rgb(css);
  const lin = [toLinear(c.r), toLinear(c.g), toLinear(c.b)];
  const [r, g, b] = matrix.map((row) => Math.min(1, Math.max(0, row[0] * lin[0]! + row[1] * lin[1]! + row[2] * lin[2]!)));
  return d3.lab(d3.rgb(toSrgb(r!), toSrgb(g!), toSrgb(b!)));
}

const deltaE = (a: d3.LabColor, b: d3.LabColor) => Math.hypot(a.l - b.l, a.a - b.a, a.b - b.b);
const okabeIto = new Set(Object.values(OKABE_ITO).map((c) => c.toLowerCase()));

describe('metricColor for α (WeightWatcher bands)', () => {
  const alpha = metricColor('alpha', [1.2, 9]);

  it('maps over-trained, well-trained and under-trained to distinct Okabe–Ito colours', () => {
    const over = alpha.color(1.5);
    const wellLow = alpha.color(2);
    const wellHigh = alpha.color(6);
    const under = alpha.color(7.5);
    for (const c of [over, wellLow, wellHigh, under]) expect(okabeIto.has(c.toLowerCase())).toBe(true);
    expect(new Set([over, wellLow, under]).size).toBe(3);
    expect(alpha.band(1.99)?.name).toBe('over-trained');
    expect(alpha.band(2)?.name).toBe('well-trained');
    expect(alpha.band(6)?.name).toBe('well-trained');
    expect(alpha.band(6.01)?.name).toBe('under-trained');
    expect(alpha.band(null)).toBeNull();
  });

  it('keeps every pair of bands apart (ΔE ≥ 20) for protan, deutan and tritan vision', () => {
    const samples = { over: [1, 1.99], well: [2, 4, 6], under: [6.01, 12] };
    const pairs = [
      ['over', 'well'],
      ['well', 'under'],
      ['over', 'under'],
    ] as const;
    for (const [name, matrix] of Object.entries(CVD)) {
      for (const [p, q] of pairs) {
        for (const a of samples[p]) {
          for (const b of samples[q]) {
            const d = deltaE(seenLab(alpha.color(a), matrix), seenLab(alpha.color(b), matrix));
            expect(d, `${name}: α ${a} vs ${b}`).toBeGreaterThanOrEqual(20);
          }
        }
      }
    }
  });

  it('separates the outer bands by luminance too, and never relies on colour alone', () => {
    const ratio = (relativeLuminance(alpha.color(8)) + 0.05) / (relativeLuminance(alpha.color(1)) + 0.05);
    expect(ratio).toBeGreaterThan(2.5);
    const bands = alpha.legend.bands;
    expect(bands.map((b) => b.label)).toEqual(['over-trained < 2', '2–6', 'under-trained > 6']);
    expect(new Set(bands.map((b) => b.pattern)).size).toBe(3);
    expect(new Set(bands.map((b) => b.symbol)).size).toBe(3);
    expect(alpha.legend.kind).toBe('bands');
    expect(alpha.legend.description).toMatch(/over-trained < 2.*2–6.*under-trained > 6/);
  });

  it('shades the well-trained band from dark (α = 2) to light (α = 6)', () => {
    expect(relativeLuminance(alpha.color(2))).toBeLessThan(relativeLuminance(alpha.color(4)));
    expect(relativeLuminance(alpha.color(4))).toBeLessThan(relativeLuminance(alpha.color(6)));
  });
});

describe('metricColor for other metrics (viridis)', () => {
  it('is sequential: luminance rises with the value, clamped outside the domain', () => {
    const s = metricColor('stable_rank', [1, 11]);
    const lums = [1, 3, 5, 7, 9, 11].map((v) => relativeLuminance(s.color(v)));
    for (let i = 1; i < lums.length; i++) expect(lums[i]!).toBeGreaterThan(lums[i - 1]!);
    expect(s.color(-5)).toBe(s.color(1));
    expect(s.color(100)).toBe(s.color(11));
    expect(s.band(3)).toBeNull();
    expect(s.legend.kind).toBe('sequential');
    expect(s.legend.ramp.length).toBeGreaterThan(2);
    expect(s.legend.ramp[0]).toBe(d3.interpolateViridis(0));
  });

  it('gives missing values a neutral grey', () => {
    const s = metricColor('D', [0, 0.2]);
    expect(s.color(null)).toBe(MISSING_COLOR);
    expect(s.color(NaN)).toBe(MISSING_COLOR);
    expect(s.legend.missing.label).toBe('no value');
  });

  it('uses a log ramp for metrics spanning decades, when the values are positive', () => {
    const s = metricColor('condition_number', [1, 1e6]);
    expect(s.legend.log).toBe(true);
    expect(s.color(1e3)).toBe(d3.interpolateViridis(0.5));
    expect(metricColor('condition_number', [0, 10]).legend.log).toBe(false);
  });

  it('copes with empty and degenerate domains and unknown columns', () => {
    for (const domain of [
      [NaN, NaN],
      [3, 3],
      [5, 1],
    ] as const) {
      const s = metricColor('entropy', domain);
      expect(s.legend.domain[0]).toBeLessThan(s.legend.domain[1]);
      expect(s.color(3)).toMatch(/^#[0-9a-f]{6}$/i);
    }
    expect(metricColor('Q', [1, 4]).legend.title).toBe('Q');
  });
});

describe('valueDomain', () => {
  it('skips null and non-finite values', () => {
    expect(valueDomain([3, null, -1, Infinity, NaN, 7])).toEqual([-1, 7]);
    expect(valueDomain([null]).every(Number.isNaN)).toBe(true);
  });
});
