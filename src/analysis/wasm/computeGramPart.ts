/**
 * One part (a range of block rows) of a planned Gram computation: what each worker of a pool runs, on
 * its own kernel instance over the shared memory, after the input was written (`writeGramInput`).
 * Parts touch disjoint bytes (their own rows of C, their own pack buffer), so they may run at the same
 * time; the result is bit-for-bit the same however the rows are split, because every 4×4 tile is summed
 * in the same order (panel by panel, depth by depth).
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import type { GramKernel } from './gramKernel';
import type { GramPlan } from './planGram';

export interface ComputeGramPartOptions {
  /** Polled before each panel (every few milliseconds); throws `AnalysisCancelled` when it returns true. */
  readonly shouldCancel?: ShouldCancel;
  /** Called after each panel with the panels done and the panel count. */
  readonly onProgress?: (donePanels: number, totalPanels: number) => void;
}

/**
 * Compute block rows [blockStart, blockEnd) of `plan.parts[partIndex]`: rows 4·blockStart .. 4·blockEnd − 1
 * of C, columns from the diagonal block on (the upper triangle), into the plan's gram region.
 *
 * @throws RangeError if the part does not exist or the memory is smaller than the plan;
 *   `AnalysisCancelled` when `shouldCancel` returns true.
 */
export function computeGramPart(kernel: GramKernel, plan: GramPlan, partIndex: number, options: ComputeGramPartOptions = {}): void {
  const part = plan.parts[partIndex];
  if (part === undefined) throw new RangeError(`computeGramPart: the plan has no part ${partIndex} (it has ${plan.parts.length})`);
  if (kernel.memory.buffer.byteLength < plan.byteLength) {
    throw new RangeError(`computeGramPart: memory holds ${kernel.memory.buffer.byteLength} bytes, the plan needs ${plan.byteLength} (call writeGramInput first)`);
  }
  const pack = plan.inputType === 'float32' ? kernel.packF32 : kernel.packF64;
  const totalPanels = Math.ceil(plan.depth / plan.panelDepth);
  for (let panel = 0; panel < totalPanels; panel++) {
    throwIfCancelled(options.shouldCancel);
    const k0 = panel * plan.panelDepth;
    const kb = Math.min(plan.panelDepth, plan.depth - k0);
    pack(plan.inputOffset, plan.indexStride, plan.depthStride, plan.n, k0, kb, 4 * part.blockStart, plan.paddedOrder, part.packOffset);
    kernel.gramPanel(part.packOffset, kb, part.blockStart, part.blockEnd, plan.paddedOrder, plan.gramOffset, panel > 0 ? 1 : 0);
    options.onProgress?.(panel + 1, totalPanels);
  }
}
