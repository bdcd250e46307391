/**
 * The layer diagram of the README is enforced by ESLint: these tests feed the real config code that
 * breaks each rule and expect it to be rejected, and code that follows the rules to pass.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layer import rules', () => {
  const violations: [string, string][] = [
    ['src/analysis/linalg/bad.ts', "import { select } from 'd3';\nexport const x = select;"],
    ['src/analysis/linalg/bad.ts', "import type { Model } from '../../model/types';\nexport type X = Model;"],
    ['src/model/bad.ts', "import { x } from '../formats/registry';\nexport const y = x;"],
    ['src/formats/bad.ts', "import { useState } from 'react';\nexport const y = useState;"],
    ['src/formats/bad.ts', "import { s } from '../state/selectors';\nexport const y = s;"],
    ['workers/bad.ts', "import { s } from '../src/state/selectors';\nexport const y = s;"],
    ['src/views/bad.ts', "import { openModel } from '../formats/registry';\nexport const y = openModel;"],
    ['src/compute/bad.ts', "import { App } from '../app/App';\nexport const y = App;"],
    ['src/state/bad.ts', "import { useState } from 'react';\nexport const y = useState;"],
  ];
  it.each(violations)('%s rejects a forbidden import', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).toBeGreaterThan(0);
  });

  const allowed: [string, string][] = [
    ['src/formats/ok.ts', "import type { Model } from '../model/types';\nexport type X = Model;"],
    ['workers/ok.ts', "import { seededRandom } from '../src/analysis/random/seededRandom';\nexport const y = seededRandom;"],
    ['src/views/ok.ts', "import { select } from 'd3';\nexport const y = select;"],
  ];
  it.each(allowed)('%s accepts an allowed import', async (file, code) => {
    expect(await restrictedImportErrors(file, code)).toBe(0);
  });

  it('the pure layers are typechecked without the DOM library', () => {
    const config = JSON.parse(readFileSync('tsconfig.core.json', 'utf8')) as { compilerOptions: { lib: string[]; types: string[] }; include: string[] };
    expect(config.compilerOptions.lib.some((l) => l.toUpperCase().startsWith('DOM'))).toBe(false);
    expect(config.compilerOptions.types).toEqual([]);
    expect(config.include).toEqual(expect.arrayContaining(['src/analysis/**/*.ts', 'src/model/**/*.ts', 'src/formats/**/*.ts']));
  });
});
