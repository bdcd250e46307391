/** Messages between an analysis worker and its Gram helpers (`gramHelper.worker.ts`). */
import type { GramPlan } from '../src/analysis/wasm/planGram';

export type GramHelperRequest =
  /** The shared kernel module and memory, once. */
  | { readonly kind: 'init'; readonly module: WebAssembly.Module; readonly memory: WebAssembly.Memory }
  /** Compute `plan.parts[part]`; stop when `cancelFlag[0]` becomes non-zero. */
  | { readonly kind: 'part'; readonly id: number; readonly plan: GramPlan; readonly part: number; readonly cancelFlag: Int32Array };

export type GramHelperResponse = { readonly kind: 'done'; readonly id: number } | { readonly kind: 'failed'; readonly id: number; readonly message: string };
