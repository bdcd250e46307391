import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderCheckpoints, stepFromName } from './checkpointOrder';

describe('stepFromName', () => {
  const cases: readonly [string, number | null][] = [
    // The examples.
    ['step_1000.safetensors', 1000],
    ['ckpt-00500.safetensors', 500],
    ['checkpoint-2500/model.safetensors', 2500],
    ['model_epoch12.pt', 12],
    ['iter3000.onnx', 3000],
    ['grok-step-000100.safetensors', 100],
    ['12k', 12000],
    ['model.safetensors', null],
    // Hugging Face Trainer folders, sharded files and Windows paths.
    ['output/checkpoint-500/pytorch_model.bin', 500],
    ['checkpoint-1500/model-00001-of-00002.safetensors', 1500],
    ['model-00001-of-00002.safetensors', null],
    ['C:\\runs\\checkpoint-750\\model.safetensors', 750],
    // PyTorch Lightning: the step beats the epoch; metrics after the keywords do not count.
    ['epoch=3-step=1000.ckpt', 1000],
    ['epoch=7-val_loss=0.25.ckpt', 7],
    ['lightning_logs/version_0/checkpoints/epoch=2-step=300.ckpt', 300],
    // TensorFlow checkpoints.
    ['model.ckpt-2000.index', 2000],
    ['model.ckpt-2000.data-00000-of-00001', 2000],
    // Keras ModelCheckpoint: `weights.{epoch:02d}-{val_loss:.2f}.hdf5`.
    ['weights.05-0.42.hdf5', 5],
    // Assorted naming habits.
    ['global_step12000.pt', 12000],
    ['iteration_250.pth', 250],
    ['it100.bin', 100],
    ['ep_04.keras', 4],
    ['Step-10K.safetensors', 10000],
    ['step_1.5k.safetensors', 1500],
    ['ckpt-2M.safetensors', 2_000_000],
    ['olmo/step1000-tokens4B/model.safetensors', 1000],
    ['run_3_500.pt', 500],
    ['model-12.pt', 12],
    ['000100.safetensors', 100],
    ['runs/2500/model.safetensors', 2500],
    ['runs/exp3/model.safetensors', null],
    ['step_500/model_v2.safetensors', 500],
    // Numbers glued to letters are names, not steps; so are versions.
    ['gpt2.onnx', null],
    ['llama-7b.safetensors', null],
    ['t5-small.safetensors', null],
    ['resnet50.onnx', null],
    ['model_v1.2.pt', null],
    ['pytorch_model.bin', null],
    // Keywords must start a word: `split`, `unit`, `deep` do not hold `it` or `ep`.
    ['split7.pt', null],
    ['unit_5.pt', 5],
    ['deep12.pt', null],
    ['', null],
    ['/', null],
  ];
  it.each(cases)('%s → %s', (name, step) => {
    expect(stepFromName(name)).toBe(step);
  });

  it('reads any zero-padded step back (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('step_', 'ckpt-', 'checkpoint-', 'iter', 'grok-step-', 'epoch=', 'model_epoch'),
        fc.constantFrom('.safetensors', '.pt', '.onnx', '.bin', ''),
        (step, pad, prefix, extension) => {
          const name = `${prefix}${String(step).padStart(pad, '0')}${extension}`;
          expect(stepFromName(name)).toBe(step);
          expect(stepFromName(`runs/seed-7/${name}`)).toBe(step);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe('orderCheckpoints', () => {
  it('sorts by step, numerically rather than as text', () => {
    const names = ['step_1000.safetensors', 'step_200.safetensors', 'step_30.safetensors', 'step_4000.safetensors'];
    expect(orderCheckpoints(names).map((c) => c.name)).toEqual([
      'step_30.safetensors',
      'step_200.safetensors',
      'step_1000.safetensors',
      'step_4000.safetensors',
    ]);
  });

  it('keeps names without a step at the end in input order, and reports input indices', () => {
    const ordered = orderCheckpoints(['final.safetensors', 'checkpoint-500/model.safetensors', 'init.safetensors', 'checkpoint-100/model.safetensors']);
    expect(ordered).toEqual([
      { name: 'checkpoint-100/model.safetensors', step: 100, index: 3 },
      { name: 'checkpoint-500/model.safetensors', step: 500, index: 1 },
      { name: 'final.safetensors', step: null, index: 0 },
      { name: 'init.safetensors', step: null, index: 2 },
    ]);
  });

  it('is stable on equal steps', () => {
    const ordered = orderCheckpoints(['b/step_5.pt', 'a/step_5.pt', 'step_1.pt', 'c/step_5.pt']);
    expect(ordered.map((c) => c.index)).toEqual([2, 0, 1, 3]);
  });

  it('returns a permutation sorted by step with nulls last (property)', () => {
    const name = fc.oneof(
      fc.nat({ max: 100_000 }).map((n) => `step_${n}.safetensors`),
      fc.nat({ max: 100 }).map((n) => `epoch${n}.pt`),
      fc.constantFrom('model.safetensors', 'final.bin'),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 30 }), (names) => {
        const ordered = orderCheckpoints(names);
        expect(ordered.map((c) => c.index).sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1]!;
          const b = ordered[i]!;
          if (a.step === null) expect(b.step).toBeNull();
          if (a.step !== null && b.step !== null) expect(a.step < b.step || (a.step === b.step && a.index < b.index)).toBe(true);
          if (a.step === null && b.step === null) expect(a.index).toBeLessThan(b.index);
        }
      }),
      { seed: 17, numRuns: 200 },
    );
  });
});
