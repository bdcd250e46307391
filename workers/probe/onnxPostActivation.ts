/**
 * Where an ONNX layer's post-activation is (issue 8): from the output of the layer's Conv / Gemm / MatMul, follow
 * a single-consumer chain of per-channel affine ops to the first nonlinearity, whose output is the value to read.
 *
 * - Followed: Identity; BatchNormalization (the value as its input 0); Add / Sub / Mul / Div whose other input is
 *   a constant (an initializer or a Constant node's output: a per-channel or scalar affine step).
 * - Nonlinearities (Operators.md): Relu, LeakyRelu, PRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh, Elu,
 *   Selu, Celu, Softplus, Softsign, Gelu, Mish, ThresholdedRelu.
 * - Self-gated activations written out in elementary ops: x · g(x), where the value's two consumers are a Mul by g
 *   and a single-consumer chain computing g from x (constant affine steps and Sigmoid, HardSigmoid, Clip or Relu):
 *   x · Sigmoid(x) is reported as 'Swish', x · Clip(x + 3, 0, 6) / 6 (paddle2onnx's hard-swish) as 'HardSwish'. A
 *   constant Mul / Div right after the gating Mul (the "/ 6") is included in the value read.
 * - Anything else stops the walk with the reason (a value with several consumers, a MaxPool, a residual Add…).
 */
import type { GraphMessage, NodeMessage } from '../../src/formats/onnx/onnxSchema';
import { consumerIndex } from '../../src/formats/onnx/onnxWeightUses';
import type { PostActivation } from './probeSession';

/** The value to fetch for the post-activation, and the op that computes it. */
export type OnnxPostActivation = { readonly op: string; readonly value: string } | { readonly missing: string };

const NONLINEAR = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Clip',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Elu',
  'Selu',
  'Celu',
  'Softplus',
  'Softsign',
  'Gelu',
  'Mish',
  'ThresholdedRelu',
]);
const AFFINE_WITH_CONSTANT = new Set(['Add', 'Sub', 'Mul', 'Div']);
/** How many affine steps are followed before giving up. */
const MAX_STEPS = 8;

type Consumers = ReturnType<typeof consumerIndex>;

/** What the graph knows once per model: each value's consumers, and which values are constants. */
export interface PostActivationIndex {
  readonly consumers: Consumers;
  readonly constants: ReadonlySet<string>;
}

/** The index of a graph (`consumers`: its `consumerIndex`, when already built). */
export function postActivationIndex(graph: GraphMessage, consumers: Consumers = consumerIndex(graph.node)): PostActivationIndex {
  const constants = new Set(graph.initializer.map((t) => t.name));
  for (const node of graph.node) if (node.op_type === 'Constant' && node.output[0]) constants.add(node.output[0]);
  return { consumers, constants };
}

const named = (node: NodeMessage) => `${node.op_type}${node.name ? ` "${node.name}"` : ''}`;

/** Ops a gate g(x) may be built of, besides constant affine steps. */
const GATE_OPS = new Set(['Sigmoid', 'HardSigmoid', 'Clip', 'Relu']);

/** A constant Add / Sub / Mul / Div of `node`'s input `at`. */
const constantAffine = (node: NodeMessage, at: number, constants: ReadonlySet<string>) => {
  const other = node.input.filter((v, i) => i !== at && v !== '');
  return AFFINE_WITH_CONSTANT.has(node.op_type) && other.length === 1 && constants.has(other[0] as string);
};

/**
 * x · g(x): `value` has two consumers, a Mul by g and a single-consumer chain from `value` to g. Returns the value
 * to read (the Mul's output, or the constant Mul / Div right after it) and the activation's name.
 */
function selfGated(value: string, index: PostActivationIndex): { op: string; value: string } | null {
  const { consumers, constants } = index;
  const list = consumers.get(value) ?? [];
  if (list.length !== 2) return null;
  for (const gate of list) {
    const mul = list.find((c) => c !== gate && c.node.op_type === 'Mul')?.node;
    if (!mul) continue;
    let node = gate.node;
    let at = gate.index;
    const ops: string[] = [];
    for (let step = 0; step <= MAX_STEPS; step++) {
      const out = node.output[0];
      if (!out || !(GATE_OPS.has(node.op_type) ? at === 0 : constantAffine(node, at, constants))) break;
      ops.push(node.op_type);
      if (mul.input.includes(out) && mul.input.includes(value)) {
        if (!ops.some((o) => GATE_OPS.has(o))) break;
        const name = ops.includes('Sigmoid') ? 'Swish' : 'HardSwish';
        const gated = mul.output[0];
        if (!gated) return null;
        const after = consumers.get(gated) ?? [];
        const scale = after.length === 1 && (after[0]?.node.op_type === 'Mul' || after[0]?.node.op_type === 'Div') && constantAffine(after[0].node, after[0].index, constants);
        return { op: name, value: scale ? (after[0]?.node.output[0] ?? gated) : gated };
      }
      const next = consumers.get(out) ?? [];
      if (next.length !== 1) break;
      node = (next[0] as { node: NodeMessage }).node;
      at = (next[0] as { index: number }).index;
    }
  }
  return null;
}

/**
 * The post-activation after `output` (the layer op's output value), or why there is none.
 *
 * @param op the layer's op, for the messages (`Conv`, `Gemm`, `MatMul`)
 */
export function onnxPostActivation(output: string, op: string, index: PostActivationIndex): OnnxPostActivation {
  const { consumers, constants } = index;
  let value = output;
  const path: string[] = [];
  const after = () => `its ${op} output "${output}"${path.length > 0 ? ` (through ${path.join(' → ')})` : ''}`;
  for (let step = 0; step <= MAX_STEPS; step++) {
    const gated = selfGated(value, index);
    if (gated) return gated;
    const list = consumers.get(value) ?? [];
    if (list.length === 0) return { missing: `${after()} is not used by any node (no nonlinearity follows)` };
    if (list.length > 1) return { missing: `${after()} goes to ${list.length} nodes (${list.map((c) => named(c.node)).join(', ')}), not to one nonlinearity` };
    const { node, index: at } = list[0] as { node: NodeMessage; index: number };
    const next = node.output[0];
    if (!next) return { missing: `${after()} goes to ${named(node)}, which has no output` };
    if (NONLINEAR.has(node.op_type) && at === 0) return { op: node.op_type, value: next };
    const affine = node.op_type === 'Identity' || (node.op_type === 'BatchNormalization' && at === 0) || constantAffine(node, at, constants);
    if (!affine) {
      const why = AFFINE_WITH_CONSTANT.has(node.op_type) ? ' with a computed operand (e.g. a residual connection)' : '';
      return { missing: `${after()} goes to ${named(node)}${why}, not to a nonlinearity` };
    }
    path.push(named(node));
    value = next;
  }
  return { missing: `${after()} reaches no nonlinearity within ${MAX_STEPS} affine steps` };
}

/** The adapter-neutral view of an ONNX post-activation. */
export const postActivationOf = (post: OnnxPostActivation): PostActivation => ('missing' in post ? { missing: post.missing } : { op: post.op });
