/**
 * public/samples/samples.json is written by more than one script (the stroke CNN's `sample:train`, the grokking
 * study's `sample:grok`): each replaces the entries it owns, by id, and keeps everyone else's, so running one
 * script never drops another's sample.
 */

/** An entry of samples.json: at least an id. */
export interface SampleListEntry {
  readonly id: string;
  readonly [key: string]: unknown;
}

/**
 * The new samples.json text: the previous entries other scripts own, in their order, with `owned` replacing the
 * entries of `ownedIds` at the position of the first of them (or first when there was none).
 */
export function mergeSampleEntries(previous: string | null, owned: readonly SampleListEntry[], ownedIds: readonly string[]): string {
  let entries: SampleListEntry[] = [];
  if (previous !== null) {
    const parsed: unknown = JSON.parse(previous);
    if (!Array.isArray(parsed)) throw new Error('samples.json is not a JSON array');
    entries = parsed.filter((e): e is SampleListEntry => typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string');
  }
  const mine = new Set(ownedIds);
  const at = entries.findIndex((e) => mine.has(e.id));
  const others = entries.filter((e) => !mine.has(e.id));
  const position = at < 0 ? 0 : entries.slice(0, at).filter((e) => !mine.has(e.id)).length;
  const merged = [...others.slice(0, position), ...owned, ...others.slice(position)];
  return `${JSON.stringify(merged, null, 2)}\n`;
}
