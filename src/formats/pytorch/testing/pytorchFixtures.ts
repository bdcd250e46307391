/**
 * The small PyTorch files committed under `e2e/fixtures/pytorch/`, as pure builders:
 * `scripts/fixtures/makePytorchFixtures.ts` writes them, and `pytorchFixtures.test.ts` checks that the
 * committed bytes still equal these builders' output and that each opens (or fails) as expected.
 * Deterministic: every random value comes from a fixed seed.
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import type { FormatErrorCode } from '../../formatError';
import { PickleWriter } from '../../testing/writePickle';
import type { TensorToSave, TorchDtypeName } from '../../testing/writeTorchCheckpoint';
import { plainDict, stateDict, tensor, writeTorchCheckpoint } from '../../testing/writeTorchCheckpoint';
import { LEGACY_MAGIC } from '../sniffPytorch';

/** The seed of every PyTorch fixture's random weights (fixture k uses seed + k). */
export const PYTORCH_FIXTURE_SEED = 20240701;

/** A committed file and what opening it gives. */
export interface FixtureExpectation {
  /** Path under `e2e/fixtures/pytorch/`. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  /** Expected outcome of opening it: tensor and analysable counts, or an error code. */
  readonly tensors?: number;
  readonly analysable?: number;
  readonly error?: FormatErrorCode;
}

/** A generated fixture: its builder too. */
export interface PytorchFixture extends FixtureExpectation {
  readonly bytes: () => Uint8Array;
}

/** A He-initialised N(0, 2/fan_in) weight of shape [out, in, …]. */
function he(rng: Rng, shape: readonly number[], dtype: TorchDtypeName = 'float32'): TensorToSave {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / (size / (shape[0] as number)));
  return tensor(dtype, shape, Array.from({ length: size }, () => std * gaussian(rng)), { parameter: true });
}

const bias = (rng: Rng, n: number): TensorToSave => tensor('float32', [n], Array.from({ length: n }, () => (rng() - 0.5) / 10), { parameter: true });

function tinyCnn(): Uint8Array {
  const rng = seededRandom(PYTORCH_FIXTURE_SEED);
  return writeTorchCheckpoint(
    stateDict({
      'conv1.weight': he(rng, [8, 3, 3, 3]),
      'conv1.bias': bias(rng, 8),
      'conv2.weight': he(rng, [16, 8, 3, 3]),
      'conv2.bias': bias(rng, 16),
      'fc.weight': he(rng, [10, 16]),
      'fc.bias': bias(rng, 10),
    }),
    { root: 'tiny-cnn' },
  );
}

function nestedCheckpoint(): Uint8Array {
  const rng = seededRandom(PYTORCH_FIXTURE_SEED + 1);
  const moments = (shape: number[]) => tensor('float32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => gaussian(rng) / 100));
  return writeTorchCheckpoint(
    plainDict({
      model: stateDict({
        'fc1.weight': he(rng, [32, 16]),
        'fc1.bias': bias(rng, 32),
        'fc2.weight': he(rng, [8, 32], 'float16'),
        'fc2.bias': bias(rng, 8),
        'bn.num_batches_tracked': tensor('int64', [], [120]),
      }),
      optimizer: plainDict({
        state: { kind: 'dict', entries: [[0, plainDict({ step: 120, exp_avg: moments([32, 16]), exp_avg_sq: moments([32, 16]) })]] },
        param_groups: [plainDict({ lr: 0.001, betas: { kind: 'tuple', items: [0.9, 0.999] }, params: [0, 1, 2, 3] })],
      }),
      epoch: 7,
      best_accuracy: 0.8125,
    }),
    { root: 'nested-checkpoint' },
  );
}

/** A state dict whose pickle, after its tensors, calls os.system('touch /tmp/pwned') and returns that. */
function hostileOsSystem(): Uint8Array {
  const rng = seededRandom(PYTORCH_FIXTURE_SEED + 2);
  const sd = stateDict({ 'fc.weight': he(rng, [4, 4]) });
  const hostile = new PickleWriter().proto(2).global('os', 'system').str('touch /tmp/pwned').tuple1().reduce().stop().bytes();
  return writeTorchCheckpoint(sd, { root: 'hostile-os-system', pickle: hostile });
}

/** The start of a pre-1.6 `torch.save` file: the magic number, protocol version 1001 and sys_info pickles. */
function legacy(): Uint8Array {
  const info = new PickleWriter().proto(2).emptyDict().mark().str('protocol_version').int(1001).str('little_endian').bool(true).setitems().stop();
  return Uint8Array.from([...LEGACY_MAGIC, 0x2e, ...new PickleWriter().proto(2).int(1001).stop().bytes(), ...info.bytes()]);
}

/** Every PyTorch fixture. */
export const PYTORCH_FIXTURES: readonly PytorchFixture[] = [
  {
    path: 'tiny-cnn.pt',
    recipe: `torch.save(model.state_dict()) of a tiny CNN: conv1.weight 8×3×3×3 and conv2.weight 16×8×3×3 (OIHW by PyTorch convention), fc.weight 10×16, biases; all nn.Parameters, float32, He-initialised; seed ${PYTORCH_FIXTURE_SEED}.`,
    bytes: tinyCnn,
    tensors: 6,
    analysable: 3,
  },
  {
    path: 'nested-checkpoint.pt',
    recipe: `A training checkpoint {'model': state_dict, 'optimizer': Adam state (exp_avg, exp_avg_sq), 'epoch': 7, 'best_accuracy': 0.8125}: tensors are named model.fc1.weight, …; the optimizer state is skipped; fc2.weight is float16, bn.num_batches_tracked int64 (listed, unsupported); seed ${PYTORCH_FIXTURE_SEED + 1}.`,
    bytes: nestedCheckpoint,
    tensors: 5,
    analysable: 2,
  },
  {
    path: 'hostile-os-system.pt',
    recipe: "A zip checkpoint whose data.pkl calls os.system('touch /tmp/pwned') through GLOBAL + REDUCE: PICKLE_FORBIDDEN, nothing runs.",
    bytes: hostileOsSystem,
    error: 'PICKLE_FORBIDDEN',
  },
  {
    path: 'legacy.pt',
    recipe: 'The first pickles of a pre-1.6 torch.save file (magic number 0x1950a86a20f9469cfc6c, protocol version 1001, sys_info): LEGACY_FORMAT.',
    bytes: legacy,
    error: 'LEGACY_FORMAT',
  },
];

/** Files written by real PyTorch (1.13.1, Debian's python3-torch), under `e2e/fixtures/pytorch/torch-1.13/`. */
export const REAL_PYTORCH_FIXTURES: readonly FixtureExpectation[] = [
  { path: 'torch-1.13/state-dict.pt', recipe: 'torch.save(m.state_dict()) of Conv2d(2, 2, 3) + BatchNorm2d(2) + Linear(8, 3), protocol 2.', tensors: 9, analysable: 2 },
  { path: 'torch-1.13/state-dict-protocol5.pt', recipe: 'The same with pickle_protocol=5 (FRAME, SHORT_BINUNICODE, MEMOIZE, …).', tensors: 9, analysable: 2 },
  { path: 'torch-1.13/views-dtypes.pt', recipe: 'A transposed view, a row slice, an expand (stride 0), float16 and bfloat16 tensors.', tensors: 5, analysable: 5 },
  { path: 'torch-1.13/torchscript.pt', recipe: 'torch.jit.save(torch.jit.script(m)): a TorchScript archive (code/, constants.pkl).', tensors: 9, analysable: 2 },
  { path: 'torch-1.13/legacy-format.pt', recipe: 'torch.save(..., _use_new_zipfile_serialization=False): LEGACY_FORMAT.', error: 'LEGACY_FORMAT' },
  { path: 'torch-1.13/whole-module.pt', recipe: 'torch.save(m): the whole module, class __main__.Net: PICKLE_FORBIDDEN.', error: 'PICKLE_FORBIDDEN' },
];
