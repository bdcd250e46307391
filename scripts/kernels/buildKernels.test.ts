import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKernels, checkThreadSafe } from './buildKernels.mjs';

const SAFE = '(module\n (import "env" "memory" (memory $0 1 65536 shared))\n (func $f (param i32) (v128.store (local.get 0) (v128.const i64x2 0 0)))\n)';

describe('buildKernels', () => {
  it('builds both memory variants of every kernel (or finds them up to date), each a valid module importing only env.memory', async () => {
    const result = await buildKernels({ quiet: true });
    const exportsByFile: Record<string, string[]> = {
      'gram.shared.wasm': ['gramPanel', 'packF32', 'packF64'],
      'gram.unshared.wasm': ['gramPanel', 'packF32', 'packF64'],
      'tridiag.shared.wasm': ['householderRow', 'lowerSymv', 'packPanel', 'panelStep', 'panelUpdate', 'reflectAndNext'],
      'tridiag.unshared.wasm': ['householderRow', 'lowerSymv', 'packPanel', 'panelStep', 'panelUpdate', 'reflectAndNext'],
    };
    expect(result.files.map((f) => f.split('/').pop())).toEqual(Object.keys(exportsByFile));
    for (const file of result.files) {
      const module = await WebAssembly.compile(await readFile(file));
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(exportsByFile[file.split('/').pop() as string]);
    }
    const manifest = JSON.parse(await readFile(join(result.outputDir, 'manifest.json'), 'utf8')) as { ascVersion: string };
    expect(manifest.ascVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is a no-op when nothing changed', async () => {
    await buildKernels({ quiet: true });
    const again = await buildKernels({ quiet: true });
    expect(again.built).toBe(false);
  });

  it('rejects modules that could not be shared between workers', () => {
    expect(() => checkThreadSafe('ok', SAFE)).not.toThrow();
    expect(() => checkThreadSafe('data', SAFE.replace('(func', '(data (i32.const 8) "x")\n (func'))).toThrow(/data segment/);
    expect(() => checkThreadSafe('global', SAFE.replace('(v128.store', '(global.set $g (i32.const 1)) (v128.store'))).toThrow(/writes a global/);
    expect(() => checkThreadSafe('grow', SAFE.replace('(v128.store', '(drop (memory.grow (i32.const 1))) (v128.store'))).toThrow(/grows memory/);
    expect(() => checkThreadSafe('abort', SAFE.replace('(func', '(import "env" "abort" (func $abort))\n (func'))).toThrow(/env\.abort/);
  });
});
