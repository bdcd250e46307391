import { describe, expect, it } from 'vitest';
import { finalOutputName } from './onnxGraphIo';

const node = (input: string[], output: string[]) => ({ input, output });

describe('finalOutputName', () => {
  it('is the first declared output, else the last node output nothing consumes, else null', () => {
    const nodes = [node(['x', 'w'], ['c']), node(['c'], ['r']), node([], ['shape']), node(['r', 'shape'], ['logits', ''])];
    expect(finalOutputName({ inputs: [], outputs: [{ name: 'y' }, { name: 'z' }], initializers: new Set() }, nodes)).toBe('y');
    expect(finalOutputName({ inputs: [], outputs: [], initializers: new Set() }, nodes)).toBe('logits');
    expect(finalOutputName({ inputs: [], outputs: [], initializers: new Set() }, [])).toBeNull();
  });
});
