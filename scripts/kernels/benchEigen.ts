/**
 * Timings of the symmetric eigenvalue solvers in Node: the plain-TypeScript `symmetricEigenvalues`
 * (src/analysis/linalg) against `symmetricEigenvaluesWasm` (WASM SIMD tridiagonalisation + the same QL).
 *
 *   npx tsx scripts/kernels/benchEigen.ts              n = 256, 768, 1024, 2304
 *   npx tsx scripts/kernels/benchEigen.ts 768 4096     chosen orders
 *   npx tsx scripts/kernels/benchEigen.ts --tune 768   also panel sizes and crossovers of the blocked driver
 *   npx tsx scripts/kernels/benchEigen.ts --ts 4096    also time the TypeScript solver above n = 3000 (one run, minutes)
 *
 * Builds the kernel first if needed. The matrix is G + Gᵀ (G seeded Gaussian). Every case runs warm-up
 * calls first (so V8 tiers the wasm up), then reports the best of several runs: the machine has two cores
 * and other jobs may run, so medians are noisy. Columns: the TypeScript solver (total, and its
 * reduction alone), the TypeScript QL on the tridiagonal form, the WASM reduction by the unblocked
 * driver and by the blocked one (panels of 32 down to order 128), the whole `symmetricEigenvaluesWasm`
 * call with its defaults, the speed-up of the whole call, and max|λ_wasm − λ_ts| / max|λ| of that call
 * ("identical" when bit for bit).
 */
import { symmetricEigenvalues, tridiagonalEigenvalues, tridiagonalize } from '../../src/analysis/linalg/symmetricEigenvalues';
import { gaussianMatrix } from '../../src/analysis/testing/exactSvdMatrix';
import { tridiagKernelForTests } from '../../src/analysis/wasm/testing/tridiagKernelForTests';
import type { TridiagonalizeWasmOptions } from '../../src/analysis/wasm/tridiagWasm';
import { DEFAULT_CROSSOVER, DEFAULT_PANEL_SIZE, symmetricEigenvaluesWasm, tridiagonalizeWasm } from '../../src/analysis/wasm/tridiagWasm';

const args = process.argv.slice(2);
const tune = args.includes('--tune');
const orders = args.filter((a) => /^\d+$/.test(a)).map(Number);
const kernel = await tridiagKernelForTests();

function symmetricMatrix(n: number): Float64Array {
  const g = gaussianMatrix(n, n, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (g[i * n + j] as number) + (g[j * n + i] as number);
  return a;
}

/** Best time of `runs` calls after `warmUps` untimed ones, in ms. */
function best(runs: number, warmUps: number, run: () => void): number {
  for (let i = 0; i < warmUps; i++) run();
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

function fmt(ms: number): string {
  if (Number.isNaN(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function difference(got: Float64Array, want: Float64Array): string {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
    scale = Math.max(scale, Math.abs(want[i] as number));
  }
  if (want.length === 0) return '—';
  return worst === 0 ? 'identical' : (worst / scale).toExponential(1);
}

console.log(`defaults: panel ${DEFAULT_PANEL_SIZE}, crossover ${DEFAULT_CROSSOVER}`);
console.log('n      TS total     TS tridiag   QL (TS)     WASM unblocked   WASM blocked   WASM total   speed-up   Δλ (defaults)');
for (const n of orders.length > 0 ? orders : [256, 768, 1024, 2304]) {
  const a = symmetricMatrix(n);
  const slow = n > 1500;
  const runs = slow ? 2 : n > 600 ? 5 : 30;
  const tsRuns = n > 3000 ? (args.includes('--ts') ? 1 : 0) : slow ? 1 : 3;

  let want: Float64Array = new Float64Array(0);
  const tsTotal = tsRuns > 0 ? best(tsRuns, 0, () => void (want = symmetricEigenvalues(a.slice(), n))) : Number.NaN;
  const tsTridiag = tsRuns > 0 && n <= 3000 ? best(tsRuns, 0, () => void tridiagonalize(a.slice(), n)) : Number.NaN;
  const { diagonal, subDiagonal } = tridiagonalizeWasm(kernel, a, n);
  const ql = best(runs, 1, () => void tridiagonalEigenvalues(diagonal, subDiagonal));

  const unblocked = best(runs, slow ? 1 : 5, () => void tridiagonalizeWasm(kernel, a, n, { panelSize: 0 }));
  const blocked = best(runs, slow ? 1 : 5, () => void tridiagonalizeWasm(kernel, a, n, { panelSize: 32, crossover: 128 }));
  let got: Float64Array = new Float64Array(0);
  const total = best(runs, 1, () => void (got = symmetricEigenvaluesWasm(kernel, a, n)));
  console.log(
    `${String(n).padEnd(6)} ${fmt(tsTotal).padStart(9)}   ${fmt(tsTridiag).padStart(9)}   ${fmt(ql).padStart(9)}   ${fmt(unblocked).padStart(12)}   ` +
      `${fmt(blocked).padStart(12)}   ${fmt(total).padStart(10)}   ${(Number.isNaN(tsTotal) ? '—' : `${(tsTotal / total).toFixed(1)}×`).padStart(8)}   ${difference(got, want)}`,
  );

  if (tune) {
    const configs: TridiagonalizeWasmOptions[] = [];
    for (const panelSize of [16, 24, 32, 48, 64]) for (const crossover of [128, 512, 1024]) configs.push({ panelSize, crossover });
    const line = configs.map((options) => `${options.panelSize}/${options.crossover}: ${fmt(best(runs, 1, () => void tridiagonalizeWasm(kernel, a, n, options)))}`);
    console.log(`       tridiag by panel/crossover: ${line.join(', ')}`);
  }
}
