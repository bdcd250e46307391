#!/usr/bin/env node
/**
 * Builds the WebAssembly kernels from their AssemblyScript sources in kernels/ with the asc compiler
 * (the `assemblyscript` devDependency, run through its JavaScript API: no native download).
 *
 *   node scripts/kernels/buildKernels.mjs            build if the sources, compiler or flags changed
 *   node scripts/kernels/buildKernels.mjs --force    always build
 *
 * Output (generated, not committed: src/analysis/wasm/.gitignore):
 *   src/analysis/wasm/generated/<kernel>.shared.wasm     imports a shared memory (workers, cross-origin isolated pages)
 *   src/analysis/wasm/generated/<kernel>.unshared.wasm   imports an ordinary memory (one thread, any page)
 *   for <kernel> = gram (kernels/gram.ts) and tridiag (kernels/tridiag.ts)
 *   src/analysis/wasm/generated/manifest.json        input hash, compiler version, flags, output hashes
 *
 * A build is skipped when manifest.json records the same input hash and the outputs still have the
 * recorded SHA-256, so running it before every dev/test/build costs ~0.1 s.
 *
 * Each module is checked after compiling: its only import is env.memory, and its text has no data
 * segment, no global.set and no memory.grow. That is what makes a kernel safe to run from several
 * workers on one shared WebAssembly.Memory (see kernels/gram.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the .wasm files go, relative to the repository root. */
export const OUTPUT_DIR = 'src/analysis/wasm/generated';

/** Bumped when this script changes what it produces. */
const BUILD_FORMAT = 1;

/**
 * asc flags shared by every variant. 65536 pages = 4 GiB, the wasm32 limit: the imported memory's own
 * maximum may be anything up to that. No --enable relaxed-simd: Node 20 needs a flag for it.
 */
const COMMON_FLAGS = [
  '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '--importMemory', '--noExportMemory',
  '--initialMemory', '1', '--maximumMemory', '65536',
];

/** The kernels: one AssemblyScript source, one .wasm per memory variant. */
export const KERNELS = [
  {
    source: 'kernels/gram.ts',
    outputs: [
      { file: 'gram.shared.wasm', flags: ['--enable', 'threads', '--sharedMemory'] },
      { file: 'gram.unshared.wasm', flags: [] },
    ],
  },
  {
    source: 'kernels/tridiag.ts',
    outputs: [
      { file: 'tridiag.shared.wasm', flags: ['--enable', 'threads', '--sharedMemory'] },
      { file: 'tridiag.unshared.wasm', flags: [] },
    ],
  },
];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Hash of everything that determines the output: sources, compiler version, flags, this script's format. */
async function inputsHash(root, ascVersion) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ BUILD_FORMAT, ascVersion, COMMON_FLAGS, KERNELS }));
  for (const kernel of KERNELS) hash.update(await readFile(join(root, kernel.source)));
  return hash.digest('hex');
}

async function readManifest(dir) {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return null; // no manifest yet, or an unreadable one: build
  }
}

async function outputsIntact(dir, manifest) {
  for (const [file, recorded] of Object.entries(manifest.files ?? {})) {
    try {
      if (sha256(await readFile(join(dir, file))) !== recorded.sha256) return false;
    } catch {
      return false; // missing output: build
    }
  }
  return Object.keys(manifest.files ?? {}).length > 0;
}

/**
 * Throws unless a compiled module (its text format) imports only env.memory, has no data segment and
 * never writes a global or grows memory.
 */
export function checkThreadSafe(name, text) {
  const imports = [...text.matchAll(/\(import "([^"]+)" "([^"]+)"/g)].map((m) => `${m[1]}.${m[2]}`);
  const problems = [];
  if (imports.join() !== 'env.memory') problems.push(`imports ${imports.join(', ') || 'nothing'} (expected env.memory only)`);
  if (/\(data\b/.test(text)) problems.push('has a data segment (it would be rewritten on every instantiation)');
  if (/\bglobal\.set\b/.test(text)) problems.push('writes a global');
  if (/\bmemory\.grow\b/.test(text)) problems.push('grows memory');
  if (problems.length > 0) throw new Error(`buildKernels: ${name} is not safe to share between workers: ${problems.join('; ')}`);
}

/**
 * Build the kernels into `OUTPUT_DIR` (files are written to a temporary name, then renamed, so a
 * concurrent reader never sees half a file).
 *
 * @param {{ root?: string, force?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ built: boolean, outputDir: string, files: string[], milliseconds: number }>}
 *   `files` are absolute paths of the .wasm outputs.
 */
export async function buildKernels(options = {}) {
  const root = options.root ?? REPO_ROOT;
  const started = performance.now();
  const dir = join(root, OUTPUT_DIR);
  const files = KERNELS.flatMap((kernel) => kernel.outputs.map((output) => join(dir, output.file)));
  // The version from package.json: importing the compiler (binaryen) alone takes ~0.6 s.
  const ascPackage = JSON.parse(await readFile(fileURLToPath(import.meta.resolve('assemblyscript/package.json')), 'utf8'));
  const hash = await inputsHash(root, ascPackage.version);
  const manifest = await readManifest(dir);
  if (!options.force && manifest?.inputsHash === hash && (await outputsIntact(dir, manifest))) {
    return { built: false, outputDir: dir, files, milliseconds: performance.now() - started };
  }

  const asc = (await import('assemblyscript/asc')).default;
  await mkdir(dir, { recursive: true });
  const record = {};
  for (const kernel of KERNELS) {
    for (const output of kernel.outputs) {
      const written = new Map();
      const flags = [...COMMON_FLAGS, ...output.flags];
      const stderr = [];
      const result = await asc.main([kernel.source, ...flags, '--outFile', 'out.wasm', '--textFile', 'out.wat'], {
        stdout: { write: () => undefined },
        stderr: { write: (chunk) => void stderr.push(String(chunk)) },
        readFile: async (name, baseDir) => {
          try {
            return await readFile(resolve(root, baseDir, name), 'utf8');
          } catch {
            return null; // asc probes several candidate paths; a missing one is expected
          }
        },
        writeFile: (name, contents) => void written.set(name, contents),
        listFiles: async () => [],
      });
      const wasm = written.get('out.wasm');
      const text = written.get('out.wat');
      if (result.error || !(wasm instanceof Uint8Array) || typeof text !== 'string') {
        throw new Error(`buildKernels: asc failed on ${kernel.source} (${output.file}):\n${stderr.join('')}${result.error ?? ''}`);
      }
      checkThreadSafe(output.file, text);
      const target = join(dir, output.file);
      const temporary = `${target}.${randomUUID()}.tmp`; // unique even for two builds in one process
      await writeFile(temporary, wasm);
      await rename(temporary, target);
      record[output.file] = { source: kernel.source, flags, bytes: wasm.byteLength, sha256: sha256(wasm) };
    }
  }
  const manifestText = `${JSON.stringify({ inputsHash: hash, ascVersion: asc.version, files: record }, null, 2)}\n`;
  const temporary = join(dir, `manifest.json.${randomUUID()}.tmp`);
  await writeFile(temporary, manifestText);
  await rename(temporary, join(dir, 'manifest.json'));
  const milliseconds = performance.now() - started;
  if (!options.quiet) {
    for (const file of files) console.log(`buildKernels: wrote ${relative(root, file)}`);
  }
  return { built: true, outputDir: dir, files, milliseconds };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await buildKernels({ force: process.argv.includes('--force') });
  console.log(`buildKernels: ${result.built ? 'built' : 'up to date'} in ${(result.milliseconds / 1000).toFixed(1)} s`);
}
