/** The README of `e2e/fixtures/pytorch/`, generated with the fixtures (and checked by the fixture test). */
import type { FixtureExpectation } from './pytorchFixtures';
import { PYTORCH_FIXTURE_SEED, PYTORCH_FIXTURES, REAL_PYTORCH_FIXTURES } from './pytorchFixtures';

/** The Python that wrote `torch-1.13/` (PyTorch 1.13.1 from Debian's python3-torch; values checked through `sums.json`). */
export const REAL_PYTORCH_RECIPE = `import json, torch, torch.nn as nn, numpy as np

def sums(tensors):
    out = {}
    for name, t in tensors.items():
        a = t.detach().float().numpy().astype(np.float64).reshape(-1)
        out[name] = [int(a.size), float(a.sum()), float((a * a).sum())]
    return out

torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)
    def forward(self, x):
        return self.fc(self.bn(self.conv(x)).flatten(1))

m = Net()
sd = m.state_dict()
floats = {k: v for k, v in sd.items() if v.is_floating_point()}
ref = {}
torch.save(sd, 'state-dict.pt'); ref['state-dict.pt'] = sums(floats)
torch.save(sd, 'state-dict-protocol5.pt', pickle_protocol=5); ref['state-dict-protocol5.pt'] = sums(floats)
big = torch.randn(6, 4)
views = {'t': big.t(), 'slice': big[2:5], 'expand': torch.randn(1, 4).expand(3, 4),
         'half': torch.randn(3, 4).half(), 'bf16': torch.randn(4, 3).bfloat16()}
torch.save(views, 'views-dtypes.pt'); ref['views-dtypes.pt'] = sums(views)
torch.jit.save(torch.jit.script(m), 'torchscript.pt'); ref['torchscript.pt'] = sums(floats)
torch.save(sd, 'legacy-format.pt', _use_new_zipfile_serialization=False)
torch.save(m, 'whole-module.pt')
json.dump(ref, open('sums.json', 'w'), indent=1)`;

const outcome = (f: FixtureExpectation) => f.error ?? `${f.tensors} (${f.analysable})`;

/** README text; `sizes` gives each generated file's byte count. */
export function pytorchFixturesReadme(sizes: ReadonlyMap<string, number>): string {
  return [
    '# PyTorch e2e fixtures',
    '',
    'Small PyTorch checkpoints for the Playwright specs and the PyTorch reader tests (`src/formats/pytorch/pytorchFixtures.test.ts`).',
    'Generated, not hand-edited: the builders live in `src/formats/pytorch/testing/pytorchFixtures.ts` (zip and protocol-2 pickle',
    'written as `torch.save` writes them, by `src/formats/testing/writeTorchCheckpoint.ts`; weights from',
    `\`seededRandom(${PYTORCH_FIXTURE_SEED} + k)\` in \`src/analysis/random/seededRandom.ts\`); regenerate with`,
    '',
    '```sh',
    'npx tsx scripts/fixtures/makePytorchFixtures.ts',
    '```',
    '',
    'The fixture test fails if a committed file no longer matches its builder. Nothing in these files is ever',
    'executed: the hostile one shows that opening a pickle that calls `os.system` ends in `PICKLE_FORBIDDEN`.',
    '',
    '| file | bytes | how it is made | tensors (analysable) or error |',
    '|---|---:|---|---|',
    ...PYTORCH_FIXTURES.map((f) => `| \`${f.path}\` | ${sizes.get(f.path) ?? '?'} | ${f.recipe} | ${outcome(f)} |`),
    '',
    '## Written by PyTorch itself',
    '',
    '`torch-1.13/` holds files written by PyTorch 1.13.1 (Debian\'s `python3-torch`) with the script below, committed as',
    'they came out, so that the reader is checked against the real writer; `torch-1.13/sums.json` has each float tensor\'s',
    'count, sum and sum of squares.',
    '',
    '| file | what it covers | tensors (analysable) or error |',
    '|---|---|---|',
    ...REAL_PYTORCH_FIXTURES.map((f) => `| \`${f.path}\` | ${f.recipe} | ${outcome(f)} |`),
    '',
    '```python',
    REAL_PYTORCH_RECIPE,
    '```',
    '',
  ].join('\n');
}
