/**
 * Messages between the Keras reader and the HDF5 worker (hdf5.worker.ts), after STYLE.md §1.4: one union per
 * direction, a request id on every message, bytes moved with transfer lists (never copied).
 */
import type { Hdf5Problem, Hdf5Snapshot, SnapshotOptions } from './hdf5Snapshot';

/** Reader → HDF5 worker. */
export type Hdf5Request =
  /** Take over `bytes` (an entire HDF5 file), open it, and walk it. */
  | { readonly id: number; readonly kind: 'open'; readonly bytes: Uint8Array; readonly options: SnapshotOptions }
  /** Read one dataset of an open file, whole, as little-endian bytes. */
  | { readonly id: number; readonly kind: 'read'; readonly handle: number; readonly path: string }
  /** Close an open file and free its bytes. */
  | { readonly id: number; readonly kind: 'close'; readonly handle: number };

/** HDF5 worker → reader. */
export type Hdf5Response =
  | { readonly id: number; readonly kind: 'opened'; readonly handle: number; readonly snapshot: Hdf5Snapshot }
  | { readonly id: number; readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly id: number; readonly kind: 'closed' }
  /** `poisoned`: the wasm module trapped, so the worker must be replaced before the next request. */
  | { readonly id: number; readonly kind: 'failed'; readonly problem: Hdf5Problem; readonly poisoned: boolean };

/** Whether a message is an {@link Hdf5Response} (a guard for data that crossed the worker boundary). */
export function isHdf5Response(value: unknown): value is Hdf5Response {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number') return false;
  switch (v.kind) {
    case 'opened':
      return typeof v.handle === 'number' && typeof v.snapshot === 'object' && v.snapshot !== null;
    case 'data':
      return v.bytes instanceof Uint8Array;
    case 'closed':
      return true;
    case 'failed':
      return typeof v.problem === 'object' && v.problem !== null && typeof v.poisoned === 'boolean';
    default:
      return false;
  }
}

/** Whether a message is an {@link Hdf5Request}. */
export function isHdf5Request(value: unknown): value is Hdf5Request {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number') return false;
  switch (v.kind) {
    case 'open':
      return v.bytes instanceof Uint8Array && typeof v.options === 'object' && v.options !== null;
    case 'read':
      return typeof v.handle === 'number' && typeof v.path === 'string';
    case 'close':
      return typeof v.handle === 'number';
    default:
      return false;
  }
}
