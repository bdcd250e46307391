import { describe, expect, it } from 'vitest';
import { kerasLayerClasses, parseKerasConfig, toSnakeCase } from './kerasConfig';

describe('toSnakeCase (Keras 3 naming.to_snake_case)', () => {
  it.each([
    ['Conv2D', 'conv2d'],
    ['DepthwiseConv2D', 'depthwise_conv2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['Dense', 'dense'],
    ['InputLayer', 'input_layer'],
    ['MultiHeadAttention', 'multi_head_attention'],
    ['Conv2DTranspose', 'conv2d_transpose'],
  ])('%s → %s', (name, snake) => expect(toSnakeCase(name)).toBe(snake));
});

describe('kerasLayerClasses', () => {
  it('maps names and Keras 3 paths, numbering repeated classes per container and descending into nested models', () => {
    const classes = kerasLayerClasses({
      class_name: 'Functional',
      config: {
        layers: [
          { class_name: 'InputLayer', config: { name: 'input' } },
          { class_name: 'Conv2D', config: { name: 'stem' } },
          { class_name: 'Conv2D', config: { name: 'conv_b' } },
          { class_name: 'Sequential', config: { name: 'head', layers: [{ class_name: 'Dense', config: { name: 'fc' } }, { class_name: 'Dense', config: { name: 'out' } }] } },
        ],
      },
    });
    expect(classes.modelClass).toBe('Functional');
    expect([...classes.byPath]).toEqual([
      ['layers/input_layer', 'InputLayer'],
      ['layers/conv2d', 'Conv2D'],
      ['layers/conv2d_1', 'Conv2D'],
      ['layers/sequential', 'Sequential'],
      ['layers/sequential/layers/dense', 'Dense'],
      ['layers/sequential/layers/dense_1', 'Dense'],
    ]);
    expect(Object.fromEntries(classes.byName)).toEqual({ input: 'InputLayer', stem: 'Conv2D', conv_b: 'Conv2D', head: 'Sequential', fc: 'Dense', out: 'Dense' });
  });

  it('reads Keras ≤ 2.2 Sequential configs (a bare list of layers)', () => {
    expect(Object.fromEntries(kerasLayerClasses({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'd' } }] }).byName)).toEqual({ d: 'Dense' });
    expect(Object.fromEntries(kerasLayerClasses([{ class_name: 'Conv2D', config: { name: 'c' } }]).byName)).toEqual({ c: 'Conv2D' });
  });

  it('skips what it does not understand and stops at a nesting depth limit', () => {
    let deep: Record<string, unknown> = { class_name: 'Dense', config: { name: 'leaf' } };
    for (let i = 0; i < 200; i++) deep = { class_name: 'Sequential', config: { name: `s${i}`, layers: [deep, 7, null, { class_name: 3 }] } };
    const classes = kerasLayerClasses({ class_name: 'Sequential', config: { layers: [deep] } });
    expect(classes.byName.size).toBeLessThan(100);
    expect(classes.byName.has('leaf')).toBe(false);
    expect(parseKerasConfig('{"class_name": ')).toBeNull();
    expect(parseKerasConfig(undefined)).toBeNull();
    expect(parseKerasConfig('42')).toEqual({ byName: new Map(), byPath: new Map() });
  });
});
