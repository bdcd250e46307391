/**
 * Which model-open request is the latest: opening a sample, files or a study takes a number, and an open that
 * finishes after a newer one started is dropped, so a slow first load (the start page's default sample) never
 * replaces what the user clicked meanwhile.
 */
export interface OpenSequence {
  /** Start an open: its number. */
  next(): number;
  /** Whether no open started after this one. */
  isLatest(ticket: number): boolean;
}

export function createOpenSequence(): OpenSequence {
  let latest = 0;
  return {
    next: () => ++latest,
    isLatest: (ticket) => ticket === latest,
  };
}
