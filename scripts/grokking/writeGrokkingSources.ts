/**
 * The grokking sample's recipe section of public/samples/SOURCES.md. The section sits between two HTML comments
 * and is replaced on every run of `npm run sample:grok`; the rest of the file (the stroke-CNN sample, written by
 * `npm run sample:train`) is left as it is.
 */
import type { GrokRecipe } from './recipe';
import type { Milestones } from './checkpointSteps';

export const SECTION_BEGIN = '<!-- grokking-sample:begin (written by npm run sample:grok) -->';
export const SECTION_END = '<!-- grokking-sample:end -->';

/** `grok-step-000000.safetensors`: six digits, so the files sort by step and the app parses the step from the name. */
export function checkpointFileName(step: number): string {
  return `grok-step-${String(step).padStart(6, '0')}.safetensors`;
}

/** One written file. */
export interface GrokFileRecord {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** 'new', 'unchanged' (same bytes as the file it replaced) or 'CHANGED'. */
  readonly status: string;
}

/** Everything the section reports. */
export interface GrokReport {
  readonly recipe: GrokRecipe;
  readonly recipeHash: string;
  readonly architecture: string;
  readonly trainCount: number;
  readonly testCount: number;
  readonly parameterCount: number;
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly milestones: Milestones;
  readonly final: { readonly trainAcc: number; readonly testAcc: number };
  readonly checkpoints: readonly (GrokFileRecord & { readonly step: number; readonly role: string; readonly trainAcc: number; readonly testAcc: number })[];
  readonly files: readonly GrokFileRecord[];
  readonly trainingSeconds: number;
  readonly totalSeconds: number;
  readonly environment: string;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const stepText = (s: number | null): string => (s === null ? 'never' : String(s));

/** The section's Markdown, markers included. */
export function renderGrokkingSection(r: GrokReport): string {
  const { recipe: c, milestones: m } = r;
  const total = r.files.reduce((n, f) => n + f.bytes, 0);
  const reproduced = r.files.every((f) => f.status === 'unchanged');
  const lines = [
    SECTION_BEGIN,
    '',
    '## Grokking sample: modular addition (`grokking/`)',
    '',
    'A training trajectory: 20 checkpoints of one small MLP learning (a + b) mod p, which memorises its training',
    'pairs early and generalises ("groks") much later (Power et al. 2022). Made by `npm run sample:grok`',
    '(= `tsx scripts/grokking/trainModularAddition.ts`) from code in this repository only, with fixed seeds; MIT like',
    'the rest of the project. This section is rewritten by that script on every run.',
    '',
    '### Recipe',
    '',
    `- Task: ${c.task} with p = ${c.p}; all ${c.p * c.p} pairs, split by a seeded permutation (mulberry32 seed ${c.splitSeed}):`,
    `  ${r.trainCount} train (${pct(c.trainFraction)}), ${r.testCount} test.`,
    `- Model (${r.parameterCount.toLocaleString('en-US')} parameters, \`scripts/grokking/mlp.ts\`):`,
    `  ${r.architecture}.`,
    `  Initialisation as PyTorch's defaults from seed ${c.initSeed}: embedding N(0, 1), dense weights and biases U(±1/√fan_in).`,
    `- Optimiser: AdamW with decoupled weight decay: tfjs Adam (lr ${c.learningRate}, β1 ${c.beta1}, β2 ${c.beta2}, ε ${c.epsilon}),`,
    `  then W ← (1 − lr·λ)·W with λ = ${c.weightDecay} on the weight matrices (embedding and dense kernels; biases not decayed).`,
    '  tfjs has no AdamW; this is Loshchilov & Hutter\'s decoupled decay.',
    `- Full batch (all ${r.trainCount} training pairs every step, fixed order, nothing shuffled), constant learning rate,`,
    `  ${c.steps} steps; loss, accuracy and weight norms logged every ${c.logEvery} steps.`,
    `- ${r.environment}. Wall time: training ${r.trainingSeconds.toFixed(0)} s, whole script ${r.totalSeconds.toFixed(0)} s.`,
    `- Recipe hash \`${r.recipeHash}\` (SHA-256 of the recipe JSON, first 16 hex digits; in every file's metadata).`,
    '',
    '### Result',
    '',
    '| event | step |',
    '|---|---:|',
    `| train accuracy ≥ 99 % | ${stepText(m.train99)} |`,
    `| test loss at its peak (after it the test loss falls while test accuracy is still near chance) | ${stepText(m.testLossPeak)} |`,
    `| test accuracy ≥ twice chance (${pct(2 / c.p)}) | ${stepText(m.testTwiceChance)} |`,
    `| test accuracy ≥ 10 % | ${stepText(m.test10)} |`,
    `| test accuracy ≥ 25 % | ${stepText(m.test25)} |`,
    `| test accuracy ≥ 50 % | ${stepText(m.test50)} |`,
    `| test accuracy ≥ 75 % | ${stepText(m.test75)} |`,
    `| test accuracy ≥ 90 % | ${stepText(m.test90)} |`,
    `| test accuracy ≥ 99 % | ${stepText(m.test99)} |`,
    '',
    `Final: train ${pct(r.final.trainAcc)}, test ${pct(r.final.testAcc)} (chance ${pct(1 / c.p)}). Steps are the first`,
    `logged step (every ${c.logEvery}) at or above the threshold.`,
    '',
    '### Files',
    '',
    `Total ${(total / 1e6).toFixed(2)} MB. Tensors (float32, PyTorch layout: \`embed.weight\` is nn.Embedding's [p, d],`,
    'dense weights are [out, in]): ' + r.tensors.map((t) => `\`${t.name}\` [${t.shape.join(', ')}]`).join(', ') + '.',
    'Metadata of each checkpoint: `step`, `role`, `train_acc`, `test_acc`, `train_loss`, `test_loss`, `recipe_hash`,',
    '`recipe` (JSON), `task`, `architecture`. `metrics.json` holds the whole log (one key per line: `step`,',
    '`train_loss`, `train_acc`, `test_loss`, `test_acc`, `weight_norm` per matrix, `milestones`, `checkpoints`, `recipe`).',
    '',
    '| file | step | why | train acc. | test acc. | bytes | SHA-256 (first 16) |',
    '|---|---:|---|---:|---:|---:|---|',
    ...r.checkpoints.map(
      (f) => `| \`grokking/${f.file}\` | ${f.step} | ${f.role} | ${pct(f.trainAcc)} | ${pct(f.testAcc)} | ${f.bytes} | \`${f.sha256.slice(0, 16)}\` |`,
    ),
    ...r.files.filter((f) => !f.file.endsWith('.safetensors')).map((f) => `| \`grokking/${f.file}\` | | the log | | | ${f.bytes} | \`${f.sha256.slice(0, 16)}\` |`),
    '',
    '### Determinism',
    '',
    reproduced
      ? `**Reproduced.** All ${r.files.length} files were byte-identical (same SHA-256) to those of the previous run.`
      : 'This run wrote new or changed files (status per file in the script\'s output); run it again to check that it reproduces them.',
    'Determinism comes from the seeded split and initialisation, full-batch steps (no shuffling) and one single-threaded',
    'backend (tfjs wasm, same binary). Other backends agree closely, not bit for bit.',
    '',
    'Regenerate: `npm run sample:grok` (about the wall time above on one core). Trial runs: `--steps n --out <dir>`',
    '(and `--p`, `--train-fraction`, `--embed`, `--hidden`, `--lr`, `--wd`, `--seed`) leave this file alone.',
    '',
    SECTION_END,
  ];
  return lines.join('\n') + '\n';
}

/** `sources` with the grokking section replaced (or appended after one blank line when absent). */
export function upsertGrokkingSection(sources: string, report: GrokReport): string {
  const section = renderGrokkingSection(report);
  const begin = sources.indexOf(SECTION_BEGIN);
  const end = sources.indexOf(SECTION_END);
  if (begin >= 0 && end > begin) {
    const after = sources.slice(end + SECTION_END.length).replace(/^\n/, '');
    return sources.slice(0, begin) + section + after;
  }
  return sources.replace(/\n*$/, '\n\n') + section;
}

/** The grokking study's entry of public/samples/samples.json (one click from the app's start). */
export function grokkingSampleEntry(checkpointFiles: readonly string[], milestones: { readonly test10: number | null; readonly test99: number | null }): { id: string; [key: string]: unknown } {
  const files = [...checkpointFiles].sort();
  const jump = milestones.test10 !== null && milestones.test99 !== null ? `test accuracy jumps from 10 % at step ${milestones.test10} to 99 % at step ${milestones.test99}` : 'test accuracy jumps long after train accuracy';
  return {
    id: 'grokking',
    title: 'Grokking: modular addition, 20 checkpoints',
    file: `grokking/${files[0] ?? ''}`,
    description: `An MLP learning (a + b) mod 97 from 30 % of the pairs with strong weight decay, saved at ${files.length} steps from initialisation: it memorises the training pairs early, and ${jump} (grokking). Made by npm run sample:grok; recipe in SOURCES.md.`,
    study: { checkpoints: files.map((f) => `grokking/${f}`), log: 'grokking/metrics.json' },
  };
}
