/**
 * Every stored tensor of an ONNX graph (onnx.proto; docs/IR.md "Graphs", "Names Within a Graph"):
 *
 * - `GraphProto.initializer` (TensorProto; the usual home of weights),
 * - `GraphProto.sparse_initializer` (SparseTensorProto),
 * - `Constant` nodes (Operators.md "Constant"): the value is one of the attributes `value` (a TensorProto),
 *   `sparse_value`, `value_float(s)`, `value_int(s)`, `value_string(s)`, and is named by the node's output.
 *   paddle2onnx exports keep every weight this way and have no initializers at all.
 * - the same inside subgraphs (the `GRAPH`/`GRAPHS` attributes of If, Loop, Scan), walked recursively.
 *
 * Names must be unique within a graph and its visible outer scopes (IR.md, SSA), so a repeated name in the
 * main graph is an error; sibling subgraphs may reuse a name, which then gets a ` @node/attribute` suffix.
 */
import { FormatError } from '../formatError';
import type { AttributeMessage, GraphMessage, Int64, NodeMessage, SparseTensorMessage, TensorMessage } from './onnxSchema';

/** A tensor as found in the graph, before any checking. */
export type FoundTensor =
  | { readonly kind: 'tensor'; readonly name: string; readonly tensor: TensorMessage }
  | { readonly kind: 'sparse'; readonly name: string; readonly sparse: SparseTensorMessage }
  /** A Constant given by `value_float(s)`, `value_int(s)` or `value_string(s)`: ONNX data type code, dims, values. */
  | { readonly kind: 'inline'; readonly name: string; readonly dataType: number; readonly dims: readonly Int64[]; readonly values: readonly number[] };

/** A found tensor with its final, unique name and the value name that graph edges use. */
export type NamedTensor = FoundTensor & { readonly valueName: string };

/** The tensors of a model and every node of every graph (for finding which op uses which weight). */
export interface CollectedGraph {
  readonly tensors: readonly NamedTensor[];
  readonly nodes: readonly NodeMessage[];
}

/** A Constant node's value as a FoundTensor (without its final name), or `null` when it has none. */
function constantValue(attribute: AttributeMessage, name: string): FoundTensor | null {
  switch (attribute.name) {
    case 'value':
      return attribute.t ? { kind: 'tensor', name, tensor: attribute.t } : null;
    case 'sparse_value':
      return attribute.sparse_tensor ? { kind: 'sparse', name, sparse: attribute.sparse_tensor } : null;
    case 'value_float':
      return { kind: 'inline', name, dataType: 1, dims: [], values: [attribute.f] };
    case 'value_floats':
      return { kind: 'inline', name, dataType: 1, dims: [attribute.floats.length], values: attribute.floats };
    case 'value_int':
      return { kind: 'inline', name, dataType: 7, dims: [], values: [] };
    case 'value_ints':
      return { kind: 'inline', name, dataType: 7, dims: [attribute.ints.length], values: [] };
    case 'value_string':
      return { kind: 'inline', name, dataType: 8, dims: [], values: [] };
    default:
      return null;
  }
}

/** Whether a node is the standard `Constant` op (domain "" or "ai.onnx"). */
function isConstant(node: NodeMessage): boolean {
  return node.op_type === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx');
}

/**
 * Collect the tensors and nodes of a model's graph and all its subgraphs, in file order (a graph's
 * initializers, its sparse initializers, then its nodes; a subgraph where its node is).
 *
 * @param graph the model's main graph
 * @param modelFile the `.onnx` file name, for errors
 * @throws FormatError `DUPLICATE_TENSOR` when two tensors of the main graph share a name
 */
export function collectOnnxTensors(graph: GraphMessage, modelFile: string): CollectedGraph {
  const tensors: NamedTensor[] = [];
  const nodes: NodeMessage[] = [];
  const names = new Set<string>();
  const mainNames = new Set<string>();
  let unnamed = 0;

  const add = (found: FoundTensor, scope: string | null) => {
    let name = found.name === '' ? `(unnamed tensor ${++unnamed})` : found.name;
    if (scope === null && mainNames.has(name)) {
      throw new FormatError(
        'DUPLICATE_TENSOR',
        `"${modelFile}" defines the tensor "${name}" twice (as initializers or Constant outputs); ONNX names must be unique within a graph.`,
        { file: modelFile, remedy: 'The model is invalid ONNX: re-export it, or run onnx.checker.check_model on it to see the problem.' },
      );
    }
    if (scope === null) mainNames.add(name);
    if (names.has(name)) {
      // A name reused by sibling subgraphs (or by a subgraph before the main graph defines it).
      const scoped = `${name} @${scope ?? 'main graph'}`;
      name = scoped;
      for (let k = 2; names.has(name); k++) name = `${scoped}#${k}`;
    }
    names.add(name);
    tensors.push({ ...found, name, valueName: found.name });
  };

  const walk = (g: GraphMessage, scope: string | null) => {
    for (const t of g.initializer) add({ kind: 'tensor', name: t.name, tensor: t }, scope);
    for (const s of g.sparse_initializer) add({ kind: 'sparse', name: s.values?.name ?? '', sparse: s }, scope);
    for (const node of g.node) {
      nodes.push(node);
      const output = node.output[0];
      if (isConstant(node) && output !== undefined && output !== '') {
        for (const a of node.attribute) {
          const found = constantValue(a, output);
          if (found) {
            add(found, scope);
            break;
          }
        }
      }
      for (const a of node.attribute) {
        const where = `${node.name || node.op_type}/${a.name}`;
        const inner = scope === null ? where : `${scope}/${where}`;
        if (a.g) walk(a.g, inner);
        a.graphs.forEach((sub, i) => walk(sub, `${inner}[${i}]`));
      }
    }
  };
  walk(graph, null);
  return { tensors, nodes };
}
