/**
 * Which op uses each weight, from the graph's edges (ONNX Operators.md):
 *
 * - `Conv` (and `ConvInteger`): input W (index 1) is (M, C/group, kH, kW), i.e. OIHW. `QLinearConv`: input 3.
 * - `ConvTranspose`: input W (index 1) is (C, M/group, kH, kW), i.e. IOHW.
 * - `Gemm`: Y = α·A'·B' + β·C with A' = transA ? Aᵀ : A and B' = transB ? Bᵀ : B. A weight in input B is
 *   (N, K) = out×in when transB = 1 (PyTorch `Linear` exports), (K, N) = in×out otherwise.
 * - `MatMul` (and `MatMulInteger`, `QLinearMatMul` input 3): Y = A·B; a weight in B is in×out, in A out×in.
 *
 * A weight may reach its op through value-preserving nodes (`Identity`, `Cast`, `CastLike`,
 * `DequantizeLinear` of an int8 weight, `Transpose`): those are followed a few steps, composing transposes,
 * so a TensorFlow-exported HWIO kernel behind `Transpose(perm = [3, 2, 0, 1])` is reported as HWIO.
 */
import type { ConvLayout } from '../../model/types';
import { int64ToNumber } from './decodeOnnxModel';
import type { AttributeMessage, NodeMessage } from './onnxSchema';

/** How a weight is used. */
export interface WeightUse {
  /** The op type of the node that uses the weight, e.g. `Conv`, `Gemm`, `MatMul`, `Add`. */
  readonly op: string;
  /** The name of that node (empty when the file leaves it unnamed). */
  readonly node: string;
  /** For conv kernels: the stored layout, when the op and any transposes on the way determine it. */
  readonly layout?: ConvLayout;
  /** Whether the op treats the weight as a convolution kernel (Conv, ConvTranspose, …). */
  readonly convKernel: boolean;
  /** For matrix ops: whether the stored rows are outputs (`out×in`) or inputs (`in×out`). */
  readonly orientation?: 'out×in' | 'in×out';
}

/** One edge: `node` reads a value as its input number `index`. */
interface Consumer {
  readonly node: NodeMessage;
  readonly index: number;
}

/** Ops whose output is the input value unchanged apart from type or axis order: followed to the real consumer. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'CastLike', 'DequantizeLinear', 'Transpose']);
/** How many pass-through nodes are followed before giving up. */
const MAX_HOPS = 4;

function attribute(node: NodeMessage, name: string): AttributeMessage | undefined {
  return node.attribute.find((a) => a.name === name);
}

function intAttribute(node: NodeMessage, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a === undefined ? fallback : (int64ToNumber(a.i) ?? fallback);
}

/** The `perm` of a Transpose node (default: reversed axes), or `null` when it is not a permutation of `rank` axes. */
function transposePerm(node: NodeMessage, rank: number): number[] | null {
  const a = attribute(node, 'perm');
  const perm = a === undefined || a.ints.length === 0 ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : a.ints.map((v) => int64ToNumber(v) ?? -1);
  const sorted = [...perm].sort((x, y) => x - y);
  return perm.length === rank && sorted.every((v, i) => v === i) ? perm : null;
}

/** The use of a weight by one consumer, or `null` when that consumer is not a weight op. */
function directUse(consumer: Consumer, perm: readonly number[] | null): WeightUse | null {
  const { node, index } = consumer;
  const op = node.op_type;
  const identity = perm !== null && perm.every((v, i) => v === i);
  const swapped = perm !== null && perm.length === 2 && perm[0] === 1;
  const conv = (kernelInput: number, native: 'OIHW' | 'IOHW'): WeightUse | null => {
    if (index !== kernelInput) return null;
    // ConvTranspose kernels are IOHW; reported as OIHW because each slice W[:, :, i, j] is then analysed
    // transposed, which leaves its singular values unchanged. Rows are c_in for ConvTranspose.
    let layout: ConvLayout | undefined;
    if (perm !== null && perm.length === 4) {
      if (identity) layout = 'OIHW';
      else if (native === 'OIHW' && perm.join() === '3,2,0,1') layout = 'HWIO';
    }
    return { op, node: node.name, convKernel: true, ...(layout ? { layout } : {}) };
  };
  const matrix = (outByIn: boolean): WeightUse => {
    const rowsAreOut = swapped ? !outByIn : outByIn;
    return { op, node: node.name, convKernel: false, orientation: rowsAreOut ? 'out×in' : 'in×out' };
  };
  switch (op) {
    case 'Conv':
    case 'ConvInteger':
      return conv(1, 'OIHW');
    case 'QLinearConv':
      return conv(3, 'OIHW');
    case 'ConvTranspose':
      return conv(1, 'IOHW');
    case 'Gemm':
      if (index === 1) return matrix(intAttribute(node, 'transB', 0) !== 0);
      if (index === 0) return matrix(intAttribute(node, 'transA', 0) === 0);
      return null;
    case 'MatMul':
    case 'MatMulInteger':
      return index <= 1 ? matrix(index === 0) : null;
    case 'QLinearMatMul':
      return index === 3 ? matrix(false) : index === 0 ? matrix(true) : null;
    default:
      return null;
  }
}

/** Every node input, by value name, across the given graphs (main graph and subgraphs). */
export function consumerIndex(nodes: readonly NodeMessage[]): Map<string, Consumer[]> {
  const index = new Map<string, Consumer[]>();
  for (const node of nodes) {
    node.input.forEach((name, i) => {
      if (name === '') return;
      const list = index.get(name);
      if (list) list.push({ node, index: i });
      else index.set(name, [{ node, index: i }]);
    });
  }
  return index;
}

/**
 * The op that uses a weight: the first matrix or conv op reached (directly or through value-preserving
 * nodes), else the op type of its first consumer; `null` when no node reads it.
 *
 * @param name the weight's value name
 * @param rank the weight's rank (for transposes)
 * @param consumers from {@link consumerIndex}
 */
export function weightUse(name: string, rank: number, consumers: ReadonlyMap<string, readonly Consumer[]>): WeightUse | null {
  const first = consumers.get(name)?.[0];
  let frontier: { value: string; perm: number[] | null }[] = [{ value: name, perm: Array.from({ length: rank }, (_, i) => i) }];
  const seen = new Set<string>([name]);
  for (let hop = 0; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: typeof frontier = [];
    for (const { value, perm } of frontier) {
      for (const consumer of consumers.get(value) ?? []) {
        const use = directUse(consumer, perm);
        if (use) return use;
        const { node } = consumer;
        const output = node.output[0];
        if (!PASS_THROUGH.has(node.op_type) || consumer.index !== 0 || output === undefined || seen.has(output)) continue;
        seen.add(output);
        let nextPerm = perm;
        if (node.op_type === 'Transpose' && perm !== null) {
          const p = transposePerm(node, perm.length);
          nextPerm = p === null ? null : p.map((axis) => perm[axis] as number);
        }
        next.push({ value: output, perm: nextPerm });
      }
    }
    frontier = next;
  }
  return first ? { op: first.node.op_type, node: first.node.name, convKernel: false } : null;
}
