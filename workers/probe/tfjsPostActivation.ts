/**
 * Where a TF.js layer's post-activation is (issue 8), and the channels-first view of activations both the pre- and
 * the post-activation are read through.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from './tfjsProbe';

/** Layers whose output is a nonlinearity of their input (tfjs-layers class names). */
const ACTIVATION_LAYERS = new Set(['ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);
/** How many BatchNormalization / linear Activation layers are followed before giving up. */
const MAX_STEPS = 8;

/** A layer's single output, or null (several inbound nodes, several outputs). */
function singleOutput(layer: Tf.layers.Layer): Tf.SymbolicTensor | null {
  try {
    const output = layer.output;
    return Array.isArray(output) ? null : output;
  } catch {
    return null;
  }
}

/**
 * The post-activation of a probed layer: its own output when its activation is not linear, else the first
 * nonlinearity after it through single-consumer BatchNormalization / linear Activation layers.
 */
export function tfjsPostActivation(layer: Tf.layers.Layer, inModel: ReadonlySet<Tf.layers.Layer>): { op: string; output: Tf.SymbolicTensor } | { missing: string } {
  const activationOf = (l: Tf.layers.Layer) => {
    const a = l.getConfig().activation;
    return typeof a === 'string' ? a : 'linear';
  };
  const describe = (l: Tf.layers.Layer) => `${l.getClassName()} "${l.name}"`;
  const own = activationOf(layer);
  if (own !== 'linear') {
    const output = singleOutput(layer);
    return output ? { op: own, output } : { missing: `its output is not a single tensor` };
  }
  let current = layer;
  const path: string[] = [];
  const after = () => `its activation is linear and its output${path.length > 0 ? ` (through ${path.join(' → ')})` : ''}`;
  for (let step = 0; step <= MAX_STEPS; step++) {
    const next = current.outboundNodes.map((node) => node.outboundLayer).filter((l) => inModel.has(l));
    if (next.length !== 1) return { missing: next.length === 0 ? `${after()} is not used by another layer` : `${after()} goes to ${next.length} layers (${next.map(describe).join(', ')})` };
    const l = next[0] as Tf.layers.Layer;
    const cls = l.getClassName();
    const output = singleOutput(l);
    if (!output) return { missing: `${after()} goes to ${describe(l)}, which is shared or has several outputs` };
    if (ACTIVATION_LAYERS.has(cls)) return { op: cls, output };
    if (cls === 'Activation' && activationOf(l) !== 'linear') return { op: activationOf(l), output };
    if (cls !== 'BatchNormalization' && cls !== 'Activation') return { missing: `${after()} goes to ${describe(l)}, not to a nonlinearity` };
    path.push(describe(l));
    current = l;
  }
  return { missing: `${after()} reaches no nonlinearity within ${MAX_STEPS} layers` };
}

/**
 * An activation tensor as n × c × height × width: channels first as it is, or channels last (n × … × c, the
 * middle axes the grid: the last is the width, the others the height).
 */
export function toChannelsFirst(tf: TfModule, t: Tf.Tensor, n: number, c: number, channelsFirst: boolean): Tf.Tensor4D {
  if (channelsFirst && t.rank === 4) return t as Tf.Tensor4D;
  const middle = t.shape.slice(1, -1);
  const width = middle.at(-1) ?? 1;
  const height = t.size / (n * c * width);
  return tf.reshape(tf.transpose(tf.reshape(t, [n, height * width, c]), [0, 2, 1]), [n, c, height, width]);
}
