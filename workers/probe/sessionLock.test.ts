import { describe, expect, it } from 'vitest';
import { sessionLock } from './sessionLock';

/** A promise with its resolve function. */
function gate() {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('sessionLock', () => {
  it('shared work overlaps; exclusive work waits for it, and later shared work waits for the exclusive', async () => {
    const lock = sessionLock();
    const log: string[] = [];
    const [a, b, e] = [gate(), gate(), gate()];
    const first = lock.shared(async () => (log.push('a start'), await a.promise, log.push('a end')));
    const second = lock.shared(async () => (log.push('b start'), await b.promise, log.push('b end')));
    const edit = lock.exclusive(async () => (log.push('edit start'), await e.promise, log.push('edit end')));
    const third = lock.shared(async () => log.push('c'));
    await tick();
    expect(log).toEqual(['a start', 'b start']);
    b.open();
    await tick();
    a.open();
    await tick();
    expect(log).toEqual(['a start', 'b start', 'b end', 'a end', 'edit start']);
    e.open();
    await Promise.all([first, second, edit, third]);
    expect(log.slice(-2)).toEqual(['edit end', 'c']);
  });

  it('a failure releases the lock and reaches only its own caller', async () => {
    const lock = sessionLock();
    const failing = lock.exclusive(async () => {
      throw new Error('bad edit');
    });
    await expect(failing).rejects.toThrow('bad edit');
    expect(await lock.shared(async () => 1)).toBe(1);
    await expect(lock.shared(async () => Promise.reject(new Error('run failed')))).rejects.toThrow('run failed');
    expect(await lock.exclusive(async () => 2)).toBe(2);
  });
});
