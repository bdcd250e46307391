/**
 * A readers–writer lock for one probe session: runs, responses, weight reads and exports share it (they may
 * interleave between chunks), while an edit (which swaps the runtime's weights) waits for them to finish and holds
 * it alone, so every request sees one set of weights from its start to its end. Waiters are served in order of
 * arrival: a shared request that arrives after a waiting edit runs after that edit.
 */

export interface SessionLock {
  /** Run `work` alongside other shared work, after every exclusive work queued before it. */
  shared<T>(work: () => Promise<T>): Promise<T>;
  /** Run `work` alone, after everything queued before it. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export function sessionLock(): SessionLock {
  /** Settles when everything started so far has finished. */
  let allDone: Promise<unknown> = Promise.resolve();
  /** Settles when the last exclusive work queued has finished. */
  let exclusiveDone: Promise<unknown> = Promise.resolve();
  const settled = (p: Promise<unknown>) => p.then(
    () => undefined,
    () => undefined,
  );
  return {
    shared(work) {
      const result = settled(exclusiveDone).then(work);
      allDone = Promise.all([settled(allDone), settled(result)]);
      return result;
    },
    exclusive(work) {
      const result = settled(allDone).then(work);
      allDone = settled(result);
      exclusiveDone = allDone;
      return result;
    },
  };
}
