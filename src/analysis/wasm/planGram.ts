/**
 * The memory layout and the work split of one Gram computation on the WASM kernel. A plan is a plain
 * object (structured-cloneable): the thread that writes the input posts it, with a part index, to each
 * worker, and every worker runs `computeGramPart(kernel, plan, partIndex)` on the shared memory.
 *
 * Layout, from `baseOffset` (every region 64-byte aligned, i.e. on a cache line):
 *   input  A, rows×cols row-major, float32 or float64, as given
 *   gram   C, nPad×nPad float64 row-major, nPad = n rounded up to 4; only the upper block triangle is written
 *   pack   one buffer per part: (nPad − 4·blockStart) × panelDepth float64 (packed Gram indices of one panel)
 * Nothing needs zeroing: the first panel overwrites C, and packing writes every byte it later reads.
 */
import type { BlockRange } from './balancedBlockRanges';
import { balancedBlockRanges } from './balancedBlockRanges';
import { WasmKernelError } from './wasmKernelError';
import { WASM_MAX_PAGES, WASM_PAGE_BYTES } from './wasmMemory';

/** Element type of the input matrix. float32 is widened exactly; float64 keeps its precision. */
export type GramInputType = 'float32' | 'float64';

/**
 * Depth of one panel (elements of the long dimension packed and accumulated at a time). 64 is the
 * panel depth of src/analysis/linalg/gram.ts, which makes the two bit-identical; a 768-index panel is
 * then 384 KiB (fits a 512 KiB L2), and a cancel check comes every ~5 ms. For 3072×768, depths 64
 * to 512 timed the same within noise.
 */
export const DEFAULT_PANEL_DEPTH = 64;

const ALIGN = 64;

/** One part of the work: block rows of C and the byte offset of its private pack buffer. */
export interface GramPart extends BlockRange {
  readonly packOffset: number;
}

/** Everything `computeGramPart` needs; byte offsets are into the kernel's memory. */
export interface GramPlan {
  readonly rows: number;
  readonly cols: number;
  readonly inputType: GramInputType;
  /** `true`: C = AᵀA (Gram index = column, when rows ≥ cols); `false`: C = AAᵀ (Gram index = row). */
  readonly gramOfColumns: boolean;
  /** Order of C: min(rows, cols). */
  readonly n: number;
  /** Length of the summed dimension: max(rows, cols). */
  readonly depth: number;
  /** n rounded up to a multiple of 4 (C's row length in memory). */
  readonly paddedOrder: number;
  /** Element strides of A between consecutive Gram indices and consecutive depths. */
  readonly indexStride: number;
  readonly depthStride: number;
  readonly panelDepth: number;
  readonly inputOffset: number;
  readonly gramOffset: number;
  readonly parts: readonly GramPart[];
  /** End of the layout: the memory must hold at least this many bytes. */
  readonly byteLength: number;
}

export interface PlanGramOptions {
  /** Number of parts (workers) to split the block rows into; default 1. Fewer come back for tiny matrices. */
  readonly parts?: number;
  /** Default {@link DEFAULT_PANEL_DEPTH}. */
  readonly panelDepth?: number;
  /** Where the layout starts in memory (default 0; rounded up to 64 bytes). */
  readonly baseOffset?: number;
}

/**
 * Plan C = AᵀA or AAᵀ (the smaller side, as `gramOfSmallerSide` in src/analysis/linalg/gram.ts) of a
 * rows×cols matrix.
 *
 * @throws RangeError on a bad shape or option; WasmKernelError('WASM_OUT_OF_MEMORY') when the layout
 *   would exceed 4 GiB (the wasm32 limit).
 */
export function planGram(rows: number, cols: number, inputType: GramInputType, options: PlanGramOptions = {}): GramPlan {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`planGram: bad shape ${rows}×${cols}`);
  }
  const panelDepth = options.panelDepth ?? DEFAULT_PANEL_DEPTH;
  const baseOffset = options.baseOffset ?? 0;
  if (!Number.isInteger(panelDepth) || panelDepth < 1) throw new RangeError(`planGram: bad panel depth ${panelDepth}`);
  if (!Number.isInteger(baseOffset) || baseOffset < 0) throw new RangeError(`planGram: bad base offset ${baseOffset}`);
  const gramOfColumns = rows >= cols;
  const n = gramOfColumns ? cols : rows;
  const depth = gramOfColumns ? rows : cols;
  const paddedOrder = (n + 3) & ~3;
  const bytesPerValue = inputType === 'float32' ? 4 : 8;

  const inputOffset = align(baseOffset);
  const gramOffset = align(inputOffset + rows * cols * bytesPerValue);
  let end = align(gramOffset + paddedOrder * paddedOrder * 8);
  const parts: GramPart[] = [];
  for (const range of balancedBlockRanges(paddedOrder / 4, options.parts ?? 1)) {
    parts.push({ ...range, packOffset: end });
    end = align(end + (paddedOrder - 4 * range.blockStart) * Math.min(panelDepth, depth) * 8);
  }
  if (end > WASM_MAX_PAGES * WASM_PAGE_BYTES) {
    throw new WasmKernelError('WASM_OUT_OF_MEMORY', `The Gram of a ${rows}×${cols} ${inputType} matrix needs ${end} bytes of WebAssembly memory; at most 4 GiB is possible.`);
  }
  return {
    rows,
    cols,
    inputType,
    gramOfColumns,
    n,
    depth,
    paddedOrder,
    indexStride: gramOfColumns ? 1 : cols,
    depthStride: gramOfColumns ? cols : 1,
    panelDepth,
    inputOffset,
    gramOffset,
    parts,
    byteLength: end,
  };
}

function align(offset: number): number {
  return Math.ceil(offset / ALIGN) * ALIGN;
}
