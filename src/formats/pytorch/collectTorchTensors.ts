/**
 * Find the tensors in an unpickled checkpoint: walk dicts / OrderedDicts (a `state_dict`, or
 * `{'model': state_dict, 'epoch': 3, …}`, `{'state_dict': …}`), lists, tuples and TorchScript module objects,
 * naming each tensor by its path with `.` between keys (`model.conv1.weight`, `layers.0.weight`).
 * Top-level optimizer / scheduler state is skipped: its tensors (Adam moments, …) are not model weights.
 */
import { FormatError } from '../formatError';
import type { PyValue, TensorValue } from './pickleValue';

/** Deepest container nesting walked (a state_dict nests 1–3 levels; TorchScript modules a few more). */
export const MAX_NESTING = 64;

/** Top-level keys whose values are training state, not weights. */
const TRAINING_STATE_KEYS = new Set(['optimizer', 'optimizers', 'optimizer_state_dict', 'optim', 'optimizer_states', 'scheduler', 'lr_scheduler', 'lr_schedulers', 'scaler']);

/** A tensor and its dotted name. */
export interface FoundTensor {
  readonly name: string;
  readonly tensor: TensorValue;
}

/** What the walk found. */
export interface CollectedTensors {
  readonly tensors: readonly FoundTensor[];
  /** Things passed over, e.g. `optimizer (training state)`, `fc.weight (torch._utils._rebuild_qtensor)`. */
  readonly skipped: readonly string[];
}

/** A dict key as a name part. */
function keyName(key: PyValue): string | null {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  return null;
}

/**
 * Collect the tensors under `root`. Each container is walked once (shared and cyclic references are not
 * followed twice), so the walk is linear in the pickle's size.
 *
 * @throws FormatError `BAD_STRUCTURE` for nesting deeper than {@link MAX_NESTING}; `DUPLICATE_TENSOR` when two
 *   paths give the same name (e.g. a key `a.b` beside `a: {b: …}`)
 */
export function collectTorchTensors(root: PyValue, file: string): CollectedTensors {
  const tensors: FoundTensor[] = [];
  const skipped: string[] = [];
  const names = new Set<string>();
  const seen = new Set<object>();
  const join = (path: string, part: string) => (path === '' ? part : `${path}.${part}`);

  const walk = (value: PyValue, path: string, depth: number): void => {
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
    if (value.kind === 'tensor') {
      const name = path === '' ? 'tensor' : path;
      if (names.has(name)) throw new FormatError('DUPLICATE_TENSOR', `Two tensors in "${file}" are both named "${name}".`, { file });
      names.add(name);
      tensors.push({ name, tensor: value });
      return;
    }
    if (value.kind === 'object' && value.className.startsWith('torch._utils._rebuild_')) {
      skipped.push(`${path || 'tensor'} (${value.className.slice('torch._utils.'.length)})`);
      return;
    }
    if (seen.has(value)) return;
    seen.add(value);
    if (depth > MAX_NESTING) {
      throw new FormatError('BAD_STRUCTURE', `"${file}" nests containers more than ${MAX_NESTING} levels deep (at "${path}"); no model checkpoint does.`, { file });
    }
    if (value.kind === 'dict') {
      for (const [key, item] of value.items.values()) {
        const part = keyName(key);
        if (part === null) continue;
        if (depth === 0 && TRAINING_STATE_KEYS.has(part) && containsTensor(item)) {
          skipped.push(`${part} (training state)`);
          continue;
        }
        walk(item, join(path, part), depth + 1);
      }
    } else if (value.kind === 'list' || value.kind === 'tuple') {
      value.items.forEach((item, i) => walk(item, join(path, String(i)), depth + 1));
    } else if (value.kind === 'object' && value.state !== undefined) {
      // A TorchScript module: its attributes (parameters, submodules) are its BUILD state.
      walk(value.state, path, depth + 1);
    }
  };
  walk(root, '', 0);
  return { tensors, skipped };
}

/** Whether a value holds any tensor (bounded: stops after a fixed number of containers). */
function containsTensor(value: PyValue): boolean {
  const queue: PyValue[] = [value];
  const seen = new Set<object>();
  for (let visited = 0; queue.length > 0 && visited < 100_000; visited++) {
    const v = queue.pop() as PyValue;
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array || seen.has(v)) continue;
    seen.add(v);
    if (v.kind === 'tensor') return true;
    if (v.kind === 'dict') for (const [, item] of v.items.values()) queue.push(item);
    else if (v.kind === 'list' || v.kind === 'tuple') for (const item of v.items) queue.push(item);
  }
  return false;
}
