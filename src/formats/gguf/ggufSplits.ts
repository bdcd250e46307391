/**
 * Split GGUF models (llama.cpp `gguf-split`): a model cut into N files named `<prefix>-0000k-of-0000N.gguf`,
 * each a complete GGUF file with its own tensor infos and data, whose metadata has `split.no` (0-based) and
 * `split.count`. The first split also carries the model's metadata.
 */
import { FormatError } from '../formatError';
import type { GgufHeader } from './parseGgufHeader';
import type { NamedBlob } from '../../model/types';

/** One opened file and its header. */
export interface GgufPart {
  readonly file: NamedBlob;
  readonly header: GgufHeader;
}

/** llama.cpp's split file name (`llama_split_path`: `%s-%05d-of-%05d.gguf`, 1-based). */
const SPLIT_NAME = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/** `split.no` and `split.count` of a header, when it has both as numbers. */
export function splitOf(header: GgufHeader): { no: number; count: number } | null {
  const no = header.metadata.get('split.no');
  const count = header.metadata.get('split.count');
  if (no?.kind !== 'number' || count?.kind !== 'number') return null;
  return { no: Number(no.value), count: Number(count.value) };
}

/** The name split `no` (0-based) of `count` should have, judging by the dropped files' names. */
function splitName(parts: readonly GgufPart[], no: number, count: number): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  for (const p of parts) {
    const match = SPLIT_NAME.exec(p.file.name);
    if (match) return `${match[1]}-${pad(no + 1)}-of-${pad(count)}.gguf`;
  }
  return `split ${no + 1} of ${count}`;
}

/** The display name of a split model: the common prefix of llama.cpp's names, else the first file's name. */
export function splitModelName(parts: readonly GgufPart[]): string {
  const first = parts[0]?.file.name ?? '';
  return SPLIT_NAME.exec(first)?.[1] || first;
}

const quoted = (parts: readonly GgufPart[]) => parts.map((p) => `"${p.file.name}"`).join(', ');

/**
 * Check that the opened files form one model and put them in split order: one file that is not split, or
 * every split of one split model.
 *
 * @throws FormatError `MULTIPLE_MODELS` (several unsplit files, splits of different models, a split twice),
 *   `MISSING_SHARD` (a split is missing: the message names it)
 */
export function orderGgufParts(parts: readonly GgufPart[]): GgufPart[] {
  const splits = parts.map((p) => splitOf(p.header));
  const first = splits[0] ?? null;
  if (parts.length > 1 && splits.some((s) => s === null || s.count !== first?.count)) {
    throw new FormatError('MULTIPLE_MODELS', `${quoted(parts)} are separate GGUF models, not the splits of one model. Open one at a time.`, {
      file: parts[1]?.file.name ?? '',
      remedy: 'Drop one .gguf file, or every split (…-0000k-of-0000N.gguf) of one split model.',
    });
  }
  if (first === null || first.count <= 1) return [...parts];
  const count = first.count;
  const byNo = new Map<number, GgufPart>();
  for (const [i, p] of parts.entries()) {
    const { no } = splits[i] as { no: number };
    const twin = byNo.get(no);
    if (twin) {
      throw new FormatError('MULTIPLE_MODELS', `"${twin.file.name}" and "${p.file.name}" are both split ${no + 1} of ${count}.`, { file: p.file.name });
    }
    byNo.set(no, p);
  }
  const missing = Array.from({ length: count }, (_, no) => no).filter((no) => !byNo.has(no));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((no) => `"${splitName(parts, no, count)}"`);
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    throw new FormatError('MISSING_SHARD', `Missing split${missing.length === 1 ? '' : 's'} ${names.join(', ')}${more} of a ${count}-part GGUF model (found ${quoted(parts)}).`, {
      file: splitName(parts, missing[0] as number, count),
      remedy: 'Drop every split of the model together (all …-0000k-of-0000N.gguf files).',
    });
  }
  return [...byNo.keys()].sort((a, b) => a - b).map((no) => byNo.get(no) as GgufPart);
}
