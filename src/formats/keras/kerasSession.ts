/**
 * One open HDF5 file in an {@link Hdf5Host}, kept open while its model is alive. If the host's engine was
 * restarted (another file crashed or hung it), the file is loaded and opened again once, transparently.
 */
import type { Hdf5Handle, Hdf5Host } from './hdf5Host';
import type { Hdf5Snapshot, SnapshotOptions } from './hdf5Snapshot';
import { Hdf5Failure } from './hdf5Snapshot';

/** An open file: read datasets, close. */
export interface Hdf5Session {
  readonly snapshot: Hdf5Snapshot;
  /** Read a dataset's little-endian bytes. @throws Hdf5Failure */
  read(path: string, byteLength: number): Promise<Uint8Array>;
  close(): void;
  readonly closed: boolean;
}

const isLost = (error: unknown) => error instanceof Hdf5Failure && error.problem.reason === 'lost';

/**
 * Open the HDF5 file `load` gives (it is called again to reopen, so it must read the file afresh: the bytes
 * are handed over to the host).
 *
 * @throws Hdf5Failure when the file cannot be opened, or whatever `load` throws
 */
export async function openHdf5Session(host: Hdf5Host, load: () => Promise<Uint8Array>, options: SnapshotOptions): Promise<Hdf5Session> {
  const openOnce = async () => host.open(await load(), options);
  let opened: { handle: Hdf5Handle; snapshot: Hdf5Snapshot };
  try {
    opened = await openOnce();
  } catch (error) {
    // The engine died under this request (another file crashed it): once more, on a fresh engine.
    if (!isLost(error)) throw error;
    opened = await openOnce();
  }
  let handle = opened.handle;
  let reopening: Promise<Hdf5Handle> | null = null;
  let closed = false;
  const reopen = (stale: Hdf5Handle): Promise<Hdf5Handle> => {
    if (handle !== stale) return Promise.resolve(handle);
    reopening ??= openOnce()
      .then(({ handle: fresh }) => {
        if (closed) host.close(fresh);
        handle = fresh;
        return fresh;
      })
      .finally(() => {
        reopening = null;
      });
    return reopening;
  };
  return {
    snapshot: opened.snapshot,
    get closed() {
      return closed;
    },
    async read(path, byteLength) {
      const current = handle;
      try {
        return await host.read(current, path, byteLength);
      } catch (error) {
        if (!isLost(error) || closed) throw error;
        return host.read(await reopen(current), path, byteLength);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      host.close(handle);
    },
  };
}
