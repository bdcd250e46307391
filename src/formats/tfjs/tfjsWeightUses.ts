/**
 * Which op uses each TF.js weight, from the model's topology:
 *
 * - Layers models: a weight is named `<layer>/<weight>` (tfjs-layers `LayerVariable`; nested models prefix
 *   their own names, e.g. `model/conv2d/kernel`), and the topology lists each layer's `class_name` and
 *   `config.name` (Keras JSON, nested in `config.layers` and wrappers' `config.layer`; the Keras converter
 *   wraps it in `model_config`). The nearest enclosing layer name wins.
 * - Graph models: weights are the `Const` nodes of the GraphDef JSON (`modelTopology.node`), named as the
 *   manifest names them; the op is the first node that reads one (through `Identity` nodes), and a
 *   conv kernel is the filter input (index 1) of `Conv2D`, `_FusedConv2D`, `Conv2DBackpropInput`,
 *   `DepthwiseConv2dNative` or `FusedDepthwiseConv2dNative`. TF filters are HWIO whatever `data_format` says.
 *
 * Depthwise kernels (kh, kw, C, multiplier) are flagged: they have no c_out × c_in matrix per kernel position.
 */
import { isPlainObject } from './jsonValues';
import type { TfjsModelKind } from './tfjsModelJson';

/** How a weight is used. */
export interface TfjsWeightUse {
  /** Layer class (`Conv2D`, `Dense`, …) or graph op (`_FusedConv2D`, `MatMul`, …). */
  readonly op: string;
  /** Whether the op takes the weight as a 2-D convolution kernel (HWIO). */
  readonly convKernel: boolean;
  /** Whether the weight is a depthwise kernel (kh, kw, C, multiplier). */
  readonly depthwise: boolean;
}

/** Keras / tfjs-layers classes whose 4-D weights are HWIO conv kernels (Conv2DTranspose's H×W×O×I included: its slices transposed have the same singular values). */
const CONV_CLASSES = new Set(['Conv2D', 'Convolution2D', 'DepthwiseConv2D', 'SeparableConv2D', 'SeparableConvolution2D', 'Conv2DTranspose', 'Convolution2DTranspose', 'Deconvolution2D']);
/** Graph ops whose input 1 is a conv filter. */
const CONV_OPS = new Set(['Conv2D', '_FusedConv2D', 'Conv2DBackpropInput', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);
const DEPTHWISE_OPS = new Set(['DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);
/** Graph ops followed to the real consumer. */
const PASS_THROUGH = new Set(['Identity']);
/** Nesting followed in a layers topology, and pass-through hops followed in a graph (hostile files nest without end). */
const MAX_DEPTH = 64;
const MAX_HOPS = 4;

/** The weight's own name (the last path component, without a `:0` output suffix). */
function leafName(weightName: string): string {
  return (weightName.slice(weightName.lastIndexOf('/') + 1) || weightName).replace(/:\d+$/, '');
}

/** Whether a weight's own name says depthwise (`depthwise_kernel`, face-api's `depthwise_filter`). */
export function isDepthwiseName(weightName: string): boolean {
  return leafName(weightName).toLowerCase().includes('depthwise');
}

/** Layer name → class name over a layers topology (Keras JSON), walked without recursion. */
function layerClasses(topology: unknown): Map<string, string> {
  const classes = new Map<string, string>();
  const root = isPlainObject(topology) && isPlainObject(topology.model_config) ? topology.model_config : topology;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isPlainObject(node) || depth > MAX_DEPTH) continue;
    const config = node.config;
    const name = isPlainObject(config) ? config.name : undefined;
    if (typeof node.class_name === 'string' && typeof name === 'string' && !classes.has(name)) classes.set(name, node.class_name);
    // Keras ≤ 2.2 Sequential configs are a bare list of layers.
    const children = Array.isArray(config) ? config : isPlainObject(config) ? [...(Array.isArray(config.layers) ? config.layers : []), config.layer] : [];
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return classes;
}

/** For layers models: the class of the nearest enclosing layer named in the weight's path. */
function layersUse(classes: ReadonlyMap<string, string>, weightName: string): TfjsWeightUse | null {
  const parts = weightName.split('/');
  for (let k = parts.length - 2; k >= 0; k--) {
    const op = classes.get(parts[k] as string);
    if (op === undefined) continue;
    const depthwise = op === 'DepthwiseConv2D' || isDepthwiseName(weightName);
    return { op, convKernel: CONV_CLASSES.has(op), depthwise };
  }
  return null;
}

/** One edge of a graph: `op` reads a value as its input number `index`. */
interface Consumer {
  readonly op: string;
  readonly index: number;
  /** The consumer's own name, to follow pass-through nodes. */
  readonly name: string;
}

/** Value name → the nodes reading it (data inputs only; `^name` control inputs are not uses). */
function graphConsumers(topology: unknown): Map<string, Consumer[]> {
  const consumers = new Map<string, Consumer[]>();
  const nodes = isPlainObject(topology) && Array.isArray(topology.node) ? topology.node : [];
  for (const node of nodes) {
    if (!isPlainObject(node) || typeof node.op !== 'string' || typeof node.name !== 'string' || !Array.isArray(node.input)) continue;
    const { op, name } = node;
    node.input.forEach((input: unknown, index) => {
      if (typeof input !== 'string' || input.startsWith('^')) return;
      const value = input.replace(/:\d+$/, '');
      const list = consumers.get(value);
      if (list) list.push({ op, index, name });
      else consumers.set(value, [{ op, index, name }]);
    });
  }
  return consumers;
}

/**
 * For graph models: the first conv op reached as its filter (directly or through Identity nodes), else the
 * first other op reached, else the first consumer's op (an Identity leading nowhere).
 */
function graphUse(consumers: ReadonlyMap<string, readonly Consumer[]>, weightName: string): TfjsWeightUse | null {
  let op = consumers.get(weightName)?.[0]?.op;
  let reached = false;
  let frontier = [weightName];
  const seen = new Set(frontier);
  for (let hop = 0; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const value of frontier) {
      for (const c of consumers.get(value) ?? []) {
        if (CONV_OPS.has(c.op) && c.index === 1) return { op: c.op, convKernel: true, depthwise: DEPTHWISE_OPS.has(c.op) };
        if (!PASS_THROUGH.has(c.op)) {
          if (!reached) op = c.op;
          reached = true;
        } else if (c.index === 0 && !seen.has(c.name)) {
          seen.add(c.name);
          next.push(c.name);
        }
      }
    }
    frontier = next;
  }
  return op === undefined ? null : { op, convKernel: false, depthwise: false };
}

/**
 * A lookup of weight uses for one model.
 *
 * @param kind what the JSON file is
 * @param topology its `modelTopology` (ignored for a bare manifest)
 * @returns weight name → its use, or `null` when the topology does not say (bare manifests, unknown names)
 */
export function tfjsWeightUses(kind: TfjsModelKind, topology: unknown): (weightName: string) => TfjsWeightUse | null {
  if (kind === 'layers-model') {
    const classes = layerClasses(topology);
    return (name) => layersUse(classes, name);
  }
  if (kind === 'graph-model') {
    const consumers = graphConsumers(topology);
    return (name) => graphUse(consumers, name);
  }
  return () => null;
}
