import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { mpDensityCurve, powerLawDensityCurve } from './fitCurves';
import { layerReport } from './layerReport';

/** Trapezoid rule. */
function integral({ x, y }: { x: Float64Array; y: Float64Array }): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += (((y[i] as number) + (y[i - 1] as number)) / 2) * ((x[i] as number) - (x[i - 1] as number));
  return s;
}

describe('fitted densities in λ units', () => {
  const report = layerReport(computeLayerSpectrum(gaussianMatrix(200, 600, 3, 0.05), [200, 600], 'dense', 'OIHW'), { mpFit: true });

  it('the power law integrates to the tail fraction over [xmin, xmax] (up to the cut at xmax)', () => {
    const curve = powerLawDensityCurve(report.powerLaw, 4000);
    expect(curve).not.toBeNull();
    const { alpha, xmin, xmax, tailFraction } = report.powerLaw;
    const exact = tailFraction * (1 - Math.pow(xmax / xmin, 1 - alpha));
    expect(integral(curve!)).toBeCloseTo(exact, 4);
    expect(curve!.x[0]).toBeCloseTo(xmin, 12);
  });

  it('the MP density integrates to 1 over its bulk, and sits between the reported bulk edges', () => {
    const curve = mpDensityCurve(report.mp!, 4000);
    expect(integral(curve!)).toBeCloseTo(1, 2);
    expect(curve!.x[curve!.x.length - 1]).toBeCloseTo(report.mp!.bulkMax, 10);
  });

  it('a failed fit gives no curve', () => {
    expect(powerLawDensityCurve({ ...report.powerLaw, alpha: -1 })).toBeNull();
  });
});
