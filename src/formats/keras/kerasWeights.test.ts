/** The Keras layouts found in hand-made snapshots (no HDF5 needed). */
import { describe, expect, it } from 'vitest';
import type { Hdf5Dataset, Hdf5Object } from './hdf5Snapshot';
import { kerasLayerClasses } from './kerasConfig';
import { listKerasWeights } from './kerasWeights';

const SOURCE = { file: 'm.h5', where: '"m.h5"' };
const group = (path: string, attributes: Hdf5Object['attributes'] = {}): Hdf5Object => ({ kind: 'group', path, attributes });
const dataset = (path: string, shape: number[] = [2, 2]): Hdf5Dataset => ({ kind: 'dataset', path, attributes: {}, typeClass: 'float', elementBytes: 4, signed: false, littleEndian: true, shape });
const names = (objects: Hdf5Object[], config?: unknown) => listKerasWeights({ objects }, config === undefined ? null : kerasLayerClasses(config), SOURCE).weights.map((w) => [w.name, w.layerClass ?? null]);

describe('listKerasWeights', () => {
  it('Keras 3: in config order (class-named groups), optimizer state left out, vars numbered as numbers', () => {
    const objects = [
      group('/'),
      group('/layers'),
      ...['conv2d', 'conv2d_1', 'dense'].flatMap((l) => [group(`/layers/${l}`), group(`/layers/${l}/vars`)]),
      ...Array.from({ length: 11 }, (_, i) => dataset(`/layers/dense/vars/${i}`, [i + 1])),
      dataset('/layers/conv2d/vars/0', [1, 1, 1, 1]),
      dataset('/layers/conv2d_1/vars/0', [1, 1, 1, 1]),
      group('/optimizer'),
      group('/optimizer/vars'),
      dataset('/optimizer/vars/0'),
    ];
    const config = { class_name: 'Sequential', config: { layers: ['Dense', 'Conv2D', 'Conv2D'].map((c, i) => ({ class_name: c, config: { name: `l${i}` } })) } };
    const listed = names(objects, config);
    expect(listed.slice(0, 3)).toEqual([
      ['dense/vars/0', 'Dense'],
      ['dense/vars/1', 'Dense'],
      ['dense/vars/2', 'Dense'],
    ]);
    expect(listed.slice(10)).toEqual([
      ['dense/vars/10', 'Dense'],
      ['conv2d/vars/0', 'Conv2D'],
      ['conv2d_1/vars/0', 'Conv2D'],
    ]);
  });

  it('tf-keras 2.13–2.15 .keras: _layer_checkpoint_dependencies/<layer name>/vars', () => {
    const objects = [group('/'), group('/_layer_checkpoint_dependencies'), group('/_layer_checkpoint_dependencies/stem'), group('/_layer_checkpoint_dependencies/stem/vars'), dataset('/_layer_checkpoint_dependencies/stem/vars/0')];
    expect(names(objects, { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2D', config: { name: 'stem' } }] } })).toEqual([['_layer_checkpoint_dependencies/stem/vars/0', 'Conv2D']]);
  });

  it('Keras 2: an empty weight_names, a layer_names entry that is not text, a file with neither layout', () => {
    const base = [group('/'), group('/model_weights', { layer_names: ['flatten', 'd'] }), group('/model_weights/flatten', { weight_names: [] }), group('/model_weights/d', { weight_names: 'd/k:0' }), group('/model_weights/d/d'), dataset('/model_weights/d/d/k:0')];
    expect(names(base)).toEqual([['d/k:0', null]]);
    expect(() => names([group('/'), group('/model_weights', { layer_names: null })])).toThrow(expect.objectContaining({ code: 'BAD_STRUCTURE', message: expect.stringContaining('not a list of names') }));
    expect(() => names([group('/'), dataset('/x')])).toThrow(expect.objectContaining({ code: 'BAD_STRUCTURE', message: expect.stringContaining('holds no Keras weights') }));
  });
});
