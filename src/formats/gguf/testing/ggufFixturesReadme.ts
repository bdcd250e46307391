/** The README of `e2e/fixtures/gguf/`, generated with the fixtures (and checked by the fixture test). */
import { GGUF_FIXTURE_SEED, GGUF_FIXTURES, REAL_GGUF_FIXTURES } from './ggufFixtures';

/** README text; `sizes` gives each file's byte count. */
export function ggufFixturesReadme(sizes: ReadonlyMap<string, number>): string {
  const outcome = (f: (typeof GGUF_FIXTURES)[number]) => (f.error ? `error ${f.error}` : `${f.tensors} (${f.analysable})`);
  return [
    '# GGUF e2e fixtures',
    '',
    'Small GGUF files for the Playwright specs and the GGUF reader tests (`src/formats/gguf/ggufFixtures.test.ts`).',
    'Generated, not hand-edited: the builders live in `src/formats/gguf/testing/ggufFixtures.ts` and write through',
    '`src/formats/gguf/testing/writeGguf.ts` (GGUF v3, laid out as gguf-py\'s GGUFWriter does: metadata, tensor infos,',
    `padding to 32 bytes, tensor data at aligned offsets); values from \`seededRandom(${GGUF_FIXTURE_SEED})\` in`,
    '`src/analysis/random/seededRandom.ts`. Regenerate with',
    '',
    '```sh',
    'npx tsx scripts/fixtures/makeGgufFixtures.ts',
    '```',
    '',
    'The fixture test fails if a committed file or this README no longer matches its builder. As a check of the writer,',
    '`tiny-llm.gguf` was once loaded with llama.cpp (through node-llama-cpp 3.22.1): its GGUF loader read all 16 keys and',
    '8 tensors, and stopped only at the model level, since a one-block llama without attn_v is no complete model.',
    '',
    '| file | bytes | how it is made | tensors (analysable), or error |',
    '|---|---:|---|---|',
    ...GGUF_FIXTURES.map((f) => `| \`${f.path}\` | ${sizes.get(f.path) ?? '?'} | ${f.recipe} | ${outcome(f)} |`),
    '',
    '## Written by ggml itself',
    '',
    '`ggml-0.5.0/` holds a file written by ggml\'s own GGUF writer and quantizers, committed as it came out, so that the',
    'reader is checked against the real writer: `ggml-0.5.0/make_ggml_written.py` calls `libggml-base.so` (ggml 0.5.0, as',
    'shipped in the npm package `@node-llama-cpp/linux-x64` 3.22.1) through Python ctypes, reads the file back with',
    '`gguf_init_from_file`, and stores every float tensor\'s values as ggml dequantizes them (`type_traits.to_float`,',
    'Q4_0 and Q4_K included) in `ggml-0.5.0/values.json`. Regenerate with',
    '',
    '```sh',
    'cd e2e/fixtures/gguf/ggml-0.5.0 && python3 make_ggml_written.py path/to/libggml-base.so ggml-written.gguf values.json',
    '```',
    '',
    '| file | what it covers | tensors (analysable) |',
    '|---|---|---|',
    ...REAL_GGUF_FIXTURES.map((f) => `| \`${f.path}\` | ${f.recipe} | ${f.tensors} (${f.analysable}) |`),
    '',
  ].join('\n');
}
