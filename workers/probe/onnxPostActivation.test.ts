import { describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../../src/formats/onnx/decodeOnnxModel';
import type { NodeSpec } from '../../src/formats/onnx/testing/buildOnnx';
import { buildOnnx } from '../../src/formats/onnx/testing/buildOnnx';
import { onnxPostActivation, postActivationIndex } from './onnxPostActivation';

/** The post-activation after value `a` (a Conv output) in a graph of `nodes`, with constants k (initializer) and q (Constant node). */
function postAfter(nodes: readonly NodeSpec[]) {
  const bytes = buildOnnx({
    graph: {
      initializers: [{ name: 'k', dims: [4, 1, 1], values: [1, 2, 3, 4] }],
      nodes: [{ op: 'Constant', outputs: ['q'], attrs: { value: { name: 'q', dims: [1], values: [0.5] } } }, { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'] }, ...nodes],
    },
  });
  const graph = decodeOnnxModel(bytes, 'm.onnx').graph;
  if (!graph) throw new Error('no graph');
  return onnxPostActivation('a', 'Conv', postActivationIndex(graph));
}

describe('onnxPostActivation', () => {
  it('finds the first nonlinearity through BatchNormalization, Identity and affine ops with constants', () => {
    expect(postAfter([{ op: 'Relu', inputs: ['a'], outputs: ['r'] }])).toEqual({ op: 'Relu', value: 'r' });
    expect(
      postAfter([
        { op: 'BatchNormalization', inputs: ['a', 's', 'b', 'm', 'v'], outputs: ['bn'] },
        { op: 'Identity', inputs: ['bn'], outputs: ['i'] },
        { op: 'Mul', inputs: ['q', 'i'], outputs: ['scaled'] },
        { op: 'Add', inputs: ['scaled', 'k'], outputs: ['shifted'] },
        { op: 'HardSwish', inputs: ['shifted'], outputs: ['h'] },
      ]),
    ).toEqual({ op: 'HardSwish', value: 'h' });
    expect(postAfter([{ op: 'Clip', inputs: ['a', 'q', 'k'], outputs: ['c'] }])).toEqual({ op: 'Clip', value: 'c' });
  });

  it('recognises swish written as x · Sigmoid(x)', () => {
    expect(
      postAfter([
        { op: 'Sigmoid', inputs: ['a'], outputs: ['s'] },
        { op: 'Mul', inputs: ['a', 's'], outputs: ['sw'] },
      ]),
    ).toEqual({ op: 'Swish', value: 'sw' });
    expect(postAfter([{ op: 'Sigmoid', inputs: ['a'], outputs: ['s'] }])).toEqual({ op: 'Sigmoid', value: 's' });
  });

  it("recognises paddle2onnx's decomposed hard-swish x · Clip(x + 3, 0, 6) / 6, after a BN-style affine step", () => {
    const affine = [
      { op: 'Mul', inputs: ['a', 'k'], outputs: ['m'] },
      { op: 'Add', inputs: ['m', 'k'], outputs: ['y'] },
    ];
    // (y · Clip(y + 3)) / 6: the "/ 6" after the gating Mul is part of the value read.
    expect(
      postAfter([
        ...affine,
        { op: 'Add', inputs: ['y', 'q'], outputs: ['y3'] },
        { op: 'Clip', inputs: ['y3', 'q', 'k'], outputs: ['c'] },
        { op: 'Mul', inputs: ['y', 'c'], outputs: ['yc'] },
        { op: 'Div', inputs: ['yc', 'q'], outputs: ['hs'] },
        { op: 'Conv', inputs: ['hs', 'w2'], outputs: ['next'] },
      ]),
    ).toEqual({ op: 'HardSwish', value: 'hs' });
    // y · (Clip(y + 3) / 6): the division inside the gate.
    expect(
      postAfter([
        ...affine,
        { op: 'Add', inputs: ['y', 'q'], outputs: ['y3'] },
        { op: 'Clip', inputs: ['y3', 'q', 'k'], outputs: ['c'] },
        { op: 'Div', inputs: ['c', 'q'], outputs: ['g'] },
        { op: 'Mul', inputs: ['g', 'y'], outputs: ['hs'] },
      ]),
    ).toEqual({ op: 'HardSwish', value: 'hs' });
    // A Mul of y by a computed value that is not a gate of y (a residual product) is no activation.
    expect(
      postAfter([
        { op: 'Add', inputs: ['a', 'x'], outputs: ['s'] },
        { op: 'Mul', inputs: ['a', 's'], outputs: ['p'] },
      ]),
    ).toMatchObject({ missing: expect.stringContaining('goes to 2 nodes') });
  });

  it('says why there is none: a pool, a residual Add, several consumers, no consumer', () => {
    expect(postAfter([{ op: 'MaxPool', name: 'pool1', inputs: ['a'], outputs: ['p'] }])).toEqual({ missing: 'its Conv output "a" goes to MaxPool "pool1", not to a nonlinearity' });
    expect(
      postAfter([
        { op: 'Add', name: 'res', inputs: ['a', 'x'], outputs: ['sum'] },
        { op: 'Relu', inputs: ['sum'], outputs: ['r'] },
      ]),
    ).toMatchObject({ missing: expect.stringContaining('Add "res" with a computed operand') });
    expect(
      postAfter([
        { op: 'Relu', name: 'r1', inputs: ['a'], outputs: ['r'] },
        { op: 'Tanh', name: 't1', inputs: ['a'], outputs: ['t'] },
      ]),
    ).toEqual({ missing: 'its Conv output "a" goes to 2 nodes (Relu "r1", Tanh "t1"), not to one nonlinearity' });
    expect(postAfter([{ op: 'BatchNormalization', name: 'bn', inputs: ['a', 's', 'b', 'm', 'v'], outputs: ['bn'] }])).toEqual({
      missing: 'its Conv output "a" (through BatchNormalization "bn") is not used by any node (no nonlinearity follows)',
    });
  });
});
