/** The CLI run in-process for tests: its exit code and what it wrote to stdout and stderr. */
import { join } from 'node:path';
import { main } from '../main';

/** The committed sample model the CLI tests read. */
export const SAMPLE = join(import.meta.dirname, '..', '..', 'public', 'samples', 'stroke-cnn.safetensors');

export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}
