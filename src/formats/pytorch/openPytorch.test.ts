import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { openModel } from '../registry';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { PickleWriter } from '../testing/writePickle';
import { pickleForTorch, plainDict, stateDict, tensor, writeTorchCheckpoint } from '../testing/writeTorchCheckpoint';
import { writeZip } from '../testing/writeZip';
import { openPytorch } from './openPytorch';
import { pytorchReader } from './pytorchReader';
import { LEGACY_MAGIC } from './sniffPytorch';

const seq = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => (i + 1) * scale);

async function failure(files: readonly NamedBlob[]): Promise<FormatError> {
  const error = await openPytorch(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

const SD = stateDict({
  'conv.weight': tensor('float32', [2, 3, 2, 2], seq(24), { parameter: true }),
  'conv.bias': tensor('float32', [2], [0.5, -0.5]),
  'fc.weight': tensor('float16', [3, 4], seq(12, 0.25)),
  'fc.bias': tensor('bfloat16', [3], [1, 2, 3]),
  'head.weight': tensor('float64', [2, 2], [0.1, 0.2, 0.3, 0.4]),
  'bn.num_batches_tracked': tensor('int64', [], [7]),
});

describe('openPytorch', () => {
  it('reads a state dict: names, dtypes, shapes, OIHW kernels, values', async () => {
    const bytes = writeTorchCheckpoint(SD, { root: 'tiny' });
    const model = await openPytorch([namedFile('tiny.pt', bytes)]);
    expect(model).toMatchObject({ format: 'pytorch', name: 'tiny.pt', metadata: { archive: 'tiny', byteorder: 'little', version: '3' } });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.kind])).toEqual([
      ['conv.weight', 'F32', [2, 3, 2, 2], 'conv2d'],
      ['conv.bias', 'F32', [2], 'vector'],
      ['fc.weight', 'F16', [3, 4], 'dense'],
      ['fc.bias', 'BF16', [3], 'vector'],
      ['head.weight', 'F64', [2, 2], 'dense'],
      ['bn.num_batches_tracked', 'I64', [], 'scalar'],
    ]);
    expect(model.tensors[0]).toMatchObject({ layout: 'OIHW', layoutSource: 'convention', byteLength: 96, file: 'tiny.pt' });
    expect(Array.from(await model.tensors[0]!.read())).toEqual(seq(24));
    expect(Array.from(await model.tensors[2]!.read())).toEqual(seq(12, 0.25));
    expect(Array.from(await model.tensors[3]!.read())).toEqual([1, 2, 3]);
    expect(Array.from(await model.tensors[4]!.read())).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(model.tensors[5]!.unsupported).toContain('int64');
    await expect(model.tensors[5]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
  });

  it('names nested tensors by their path and skips optimizer state', async () => {
    const checkpoint = plainDict({
      model: SD,
      optimizer: plainDict({ state: { kind: 'dict', entries: [[0, plainDict({ exp_avg: tensor('float32', [2, 2], [1, 2, 3, 4]) })]] }, param_groups: [plainDict({ lr: 0.001 })] }),
      epoch: 3,
      history: [tensor('float32', [2], [1, 2]), { kind: 'tuple', items: [tensor('float32', [1], [3])] }],
    });
    const model = await openPytorch([namedFile('ckpt.pth', writeTorchCheckpoint(checkpoint))]);
    expect(model.tensors.map((t) => t.name)).toEqual([
      'model.conv.weight',
      'model.conv.bias',
      'model.fc.weight',
      'model.fc.bias',
      'model.head.weight',
      'model.bn.num_batches_tracked',
      'history.0',
      'history.1.0',
    ]);
    expect(model.metadata.skipped).toBe('optimizer (training state)');
    expect(Array.from(await model.tensors[7]!.read())).toEqual([3]);
  });

  it('reads views: shared storages with offsets, transposes and expands (gathered), sizes of zero', async () => {
    const storage = { key: 'qkv', values: seq(12) };
    const model = await openPytorch([
      namedFile(
        'views.pt',
        writeTorchCheckpoint(
          stateDict({
            q: tensor('float32', [2, 2], [], { storage, storageOffset: 0 }),
            k: tensor('float32', [2, 2], [], { storage, storageOffset: 4 }),
            vT: tensor('float32', [2, 2], [], { storage, storageOffset: 8, stride: [1, 2] }),
            row: tensor('float32', [3, 2], [], { storage: { key: 'r', values: [5, 6] }, stride: [0, 1] }),
            empty: tensor('float32', [0, 3], []),
          }),
        ),
      ),
    ]);
    const values = await Promise.all(model.tensors.map(async (t) => Array.from(await t.read())));
    expect(values).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 11, 10, 12], [5, 6, 5, 6, 5, 6], []]);
    expect(model.tensors[2]!.encoding).toContain('strided view');
    expect(model.tensors[1]!.encoding).toBeUndefined();
  });

  it.each([
    ['big-endian storages', { byteorder: 'big' as const }],
    ['no byteorder record', { byteorder: null }],
    ['ZIP64 records', { zip64: true }],
    ['deflated storages', { deflateStorages: true }],
  ])('reads archives with %s', async (_label, options) => {
    const model = await openPytorch([namedFile('x.pt', writeTorchCheckpoint(SD, options))]);
    expect(Array.from(await model.tensors[0]!.read())).toEqual(seq(24));
    expect(Array.from(await model.tensors[4]!.read())).toEqual([0.1, 0.2, 0.3, 0.4]);
    if ('byteorder' in options && options.byteorder === 'big') expect(model.tensors[0]!.encoding).toContain('big-endian');
  });

  it('reads a TorchScript-style archive: module objects walked through their BUILD state', async () => {
    const w = new PickleWriter().proto(2).global('__torch__', 'Net').emptyTuple().newobj().emptyDict().mark();
    w.str('training').bool(true).str('fc').global('__torch__.torch.nn.modules.linear', 'Linear').emptyTuple().newobj().emptyDict().mark();
    w.str('weight').global('torch._utils', '_rebuild_tensor_v2').mark().mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(4).tuple().binpersid();
    w.int(0).int(2).int(2).tuple2().int(2).int(1).tuple2().bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    w.setitems().build().setitems().build().stop();
    const extraEntries = [{ name: 'constants.pkl', data: new PickleWriter().proto(2).emptyTuple().stop().bytes() }];
    const bytes = writeTorchCheckpoint(stateDict({ w: tensor('float32', [2, 2], [1, 2, 3, 4]) }), { pickle: w.bytes(), extraEntries });
    const model = await openPytorch([namedFile('script.pt', bytes)]);
    expect(model.metadata.torchscript).toBe('true');
    expect(model.tensors.map((t) => t.name)).toEqual(['fc.weight']);
    expect(Array.from(await model.tensors[0]!.read())).toEqual([1, 2, 3, 4]);
    const plainArchive = writeTorchCheckpoint(stateDict({ w: tensor('float32', [2, 2], [1, 2, 3, 4]) }), { pickle: w.bytes() });
    expect((await failure([namedFile('not-script.pt', plainArchive)])).code).toBe('PICKLE_FORBIDDEN');
  });

  it('reads only the zip directory and the small records when opening, then one tensor range', async () => {
    const big = stateDict({ a: tensor('float32', [512, 512], new Float32Array(512 * 512)), b: tensor('float32', [4], [1, 2, 3, 4]) });
    const bytes = writeTorchCheckpoint(big);
    const file = countingFile('big.pt', bytes);
    const model = await openPytorch([file]);
    // The last 64 KiB (end records), the directory, data.pkl, byteorder and version: not the 1 MiB storage.
    expect(file.bytesRead()).toBeLessThan(70_000);
    file.ranges.length = 0;
    expect(Array.from(await model.tensors[1]!.read())).toEqual([1, 2, 3, 4]);
    expect(file.bytesRead()).toBe(30 + 16);
  });

  it('opens shards as one model and refuses the same tensor twice', async () => {
    const one = writeTorchCheckpoint(stateDict({ a: tensor('float32', [2], [1, 2]) }));
    const two = writeTorchCheckpoint(stateDict({ b: tensor('float32', [2], [3, 4]) }));
    const model = await openPytorch([namedFile('pytorch_model-00001-of-00002.bin', one), namedFile('pytorch_model-00002-of-00002.bin', two)]);
    expect(model.name).toBe('pytorch_model');
    expect(model.tensors.map((t) => [t.name, t.file])).toEqual([
      ['a', 'pytorch_model-00001-of-00002.bin'],
      ['b', 'pytorch_model-00002-of-00002.bin'],
    ]);
    expect((await failure([namedFile('x.pt', one), namedFile('y.pt', one)])).code).toBe('DUPLICATE_TENSOR');
  });

  it('is found by the registry from its bytes, legacy files included', async () => {
    const model = await openModel([namedFile('weights.dat', writeTorchCheckpoint(SD))], [pytorchReader]);
    expect(model.format).toBe('pytorch');
    await expect(openModel([namedFile('old.dat', Uint8Array.from([...LEGACY_MAGIC, 0x2e]))], [pytorchReader])).rejects.toMatchObject({ code: 'LEGACY_FORMAT' });
  });
});

describe('openPytorch errors', () => {
  const good = writeTorchCheckpoint(SD);
  const hostile = new PickleWriter().proto(2).global('os', 'system').str('touch /tmp/pwned').tuple1().reduce().stop().bytes();

  it('PICKLE_FORBIDDEN for a pickle that calls os.system, naming file and global', async () => {
    const e = await failure([namedFile('evil.pt', writeTorchCheckpoint(SD, { pickle: hostile }))]);
    expect(e).toMatchObject({ code: 'PICKLE_FORBIDDEN', file: 'evil.pt' });
    expect(e.message).toBe('The pickle in "evil.pt" asks to call os.system; this app never runs code from a model file, so it does not open this one.');
    expect(e.context).toMatch(/^\d+ bytes; first 16/);
  });

  it('LEGACY_FORMAT for pre-1.6 files and bare pickles', async () => {
    const legacy = await failure([namedFile('old.pt', Uint8Array.from([...LEGACY_MAGIC, 0x2e]))]);
    expect(legacy.message).toContain('legacy PyTorch checkpoint');
    const bare = await failure([namedFile('bare.pkl', new PickleWriter().proto(2).emptyDict().stop().bytes())]);
    expect(bare).toMatchObject({ code: 'LEGACY_FORMAT' });
    expect(bare.message).toContain('bare Python pickle');
  });

  it('BAD_STRUCTURE for a zip without data.pkl, a missing storage, or a strange byte order', async () => {
    const noPickle = await failure([namedFile('a.pt', writeZip([{ name: 'readme.txt', data: new Uint8Array(2) }]))]);
    expect(noPickle.message).toContain('no <archive>/data.pkl');
    const missing = writeTorchCheckpoint(SD).slice();
    const text = new TextDecoder('latin1').decode(missing);
    for (let at = text.indexOf('archive/data/1'); at >= 0; at = text.indexOf('archive/data/1', at + 1)) missing[at + 13] = 0x39;
    expect((await failure([namedFile('m.pt', missing)])).message).toContain('archive/data/1');
    expect((await failure([namedFile('b.pt', writeTorchCheckpoint(SD, { byteorder: 'middle' }))])).message).toContain('byte order');
  });

  it('OFFSETS_OUT_OF_BOUNDS for a view past its storage', async () => {
    const past = stateDict({ w: tensor('float32', [2, 2], [], { storage: { key: '0', values: [1, 2, 3] } }) });
    const e = await failure([namedFile('p.pt', writeTorchCheckpoint(past))]);
    expect(e.code).toBe('OFFSETS_OUT_OF_BOUNDS');
    expect(e.message).toContain('"w"');
  });

  it('BAD_PICKLE for a cut data.pkl; TRUNCATED for a cut file; ZIP_BOMB for a bomb storage', async () => {
    const cutPickle = writeTorchCheckpoint(SD, { pickle: new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().bytes() });
    expect((await failure([namedFile('c.pt', cutPickle)])).code).toBe('BAD_PICKLE');
    expect((await failure([namedFile('t.pt', good.subarray(0, good.length - 100))])).code).toBe('TRUNCATED');
    const { pickle } = pickleForTorch(stateDict({ w: tensor('float32', [2], [1, 2]) }));
    const bomb = writeZip(
      [
        { name: 'archive/data.pkl', data: pickle },
        { name: 'archive/data/0', data: new Uint8Array(8), method: 8, declaredSize: 8_000_000_000 },
      ],
      { zip64: true },
    );
    const model = await openPytorch([namedFile('bomb.pt', bomb)]);
    await expect(model.tensors[0]!.read()).rejects.toMatchObject({ code: 'ZIP_BOMB' });
  });
});
