/** The grokking sample's recipe: every setting that determines the output bytes of `npm run sample:grok`. */

/** Everything that determines the output bytes. Its hash goes into every checkpoint's metadata. */
export interface GrokRecipe {
  readonly task: string;
  readonly p: number;
  readonly trainFraction: number;
  readonly splitSeed: number;
  readonly initSeed: number;
  readonly embedDim: number;
  readonly hidden: readonly number[];
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly steps: number;
  readonly logEvery: number;
  readonly checkpoints: number;
  readonly backend: string;
}

export const DEFAULT_RECIPE: GrokRecipe = {
  task: '(a + b) mod p',
  p: 97,
  trainFraction: 0.3,
  splitSeed: 20240901,
  initSeed: 20240902,
  embedDim: 64,
  hidden: [192],
  learningRate: 3e-3,
  beta1: 0.9,
  beta2: 0.98,
  epsilon: 1e-8,
  weightDecay: 2,
  steps: 6000,
  logEvery: 10,
  checkpoints: 20,
  backend: 'tfjs 4.22 wasm, single thread, float32',
};
