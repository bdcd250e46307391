/**
 * The request plumbing both worker clients share (analysis and probe): one worker started on first use, request
 * ids, responses routed to their request until it settles, a crashed worker reported to every pending request and
 * replaced on the next call, and the open model's files kept so a replacement worker can reopen them.
 */
import type { FileEntry, SerializedError } from '../../workers/protocol';
import { AnalysisError } from './analysisError';

/** A request or response of a worker protocol: tagged by `kind`, matched by `id`. */
interface Message {
  readonly id: number;
  readonly kind: string;
}

/** A message without its id (the channel assigns ids). */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What a request's sender hears: its responses (call `settle` on the last one), or the worker's crash. */
interface RequestHandlers<Res> {
  readonly onCrash: (error: AnalysisError) => void;
  readonly onMessage: (message: Res, settle: () => void) => void;
}

export interface WorkerChannel<Req extends Message, Res extends Message> {
  /** A request answered by one response of `kind`, or by an `error` response (rejected as AnalysisError). */
  request<K extends Res['kind']>(body: WithoutId<Req>, kind: K): Promise<Extract<Res, { kind: K }>>;
  /**
   * A long request (a scan, a probe run) that streams responses until `onMessage` returns `{ value }`; an `error`
   * response rejects. Aborting `signal` calls `onAbort`, posts `cancel(id)`, and if the worker has not finished
   * after `graceMs` ends the request with `afterGrace` and drops the worker (its other requests hear `dropError`).
   */
  streaming<T>(body: WithoutId<Req>, options: StreamingOptions<Req, Res, T>): Promise<T>;
  /** Terminate the worker; every pending request hears `error`; the next call starts a new worker. */
  drop(error: AnalysisError): void;
  /** Remember the open model's files (after a successful open). */
  opened(files: readonly FileEntry[]): void;
  /**
   * Before a request that needs the model: a promise that reopens it when the worker was replaced since it was
   * opened, or null when nothing is needed (so a caller can stay synchronous then).
   */
  reopenIfNeeded(open: (files: readonly FileEntry[]) => Promise<unknown>): Promise<void> | null;
  dispose(): void;
}

export interface StreamingOptions<Req, Res, T> {
  readonly signal?: AbortSignal;
  /** One response: the result to finish with, or undefined to keep listening (progress, partial results). */
  readonly onMessage: (message: Res) => { readonly value: T } | undefined;
  /** The cancel request naming request `target`. */
  readonly cancel: (target: number) => WithoutId<Req>;
  /** Also on abort, before the cancel message (e.g. raise a shared cancel flag). */
  readonly onAbort?: () => void;
  readonly graceMs: number;
  /** How the request ends when the worker is still busy after `graceMs`. */
  readonly afterGrace: { readonly value: T } | { readonly error: AnalysisError };
  readonly dropError: AnalysisError;
}

export interface WorkerChannelOptions<Res> {
  readonly spawn: () => Worker;
  readonly isResponse: (message: unknown) => message is Res;
  /** The error a crash (the worker's `error` event, with its message if any) is reported as. */
  readonly crashError: (detail: string) => AnalysisError;
}

export function createWorkerChannel<Req extends Message, Res extends Message>(options: WorkerChannelOptions<Res>): WorkerChannel<Req, Res> {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { readonly onCrash: (error: AnalysisError) => void; readonly onMessage: (message: Res) => void }>();
  let openFiles: readonly FileEntry[] | null = null;
  let needsReopen = false;

  const drop = (error: AnalysisError) => {
    worker?.terminate();
    worker = null;
    needsReopen = openFiles !== null;
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.onCrash(error);
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = options.spawn();
    w.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (w !== worker || !options.isResponse(message)) return;
      pending.get(message.id)?.onMessage(message);
    });
    w.addEventListener('error', (event) => {
      event.preventDefault();
      if (w === worker) drop(options.crashError(event.message ? `: ${event.message}` : ''));
    });
    worker = w;
    return w;
  };

  const send = (body: WithoutId<Req>, handlers: RequestHandlers<Res>): number => {
    const id = nextId++;
    const w = ensureWorker();
    pending.set(id, { onCrash: handlers.onCrash, onMessage: (m) => handlers.onMessage(m, () => pending.delete(id)) });
    w.postMessage({ ...body, id });
    return id;
  };

  const streaming = <T>(body: WithoutId<Req>, o: StreamingOptions<Req, Res, T>) =>
    new Promise<T>((resolve, reject) => {
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (graceTimer !== undefined) clearTimeout(graceTimer);
        o.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const id = send(body, {
        onCrash: (error) => finish(() => reject(error)),
        onMessage: (m, settle) => {
          if (m.kind === 'error') {
            settle();
            finish(() => reject(new AnalysisError((m as unknown as { error: SerializedError }).error)));
            return;
          }
          const done = o.onMessage(m);
          if (!done) return;
          settle();
          finish(() => resolve(done.value));
        },
      });
      function onAbort() {
        o.onAbort?.();
        worker?.postMessage({ ...o.cancel(id), id: nextId++ });
        // Last resort: a worker stuck in a long computation is terminated; the next call starts a new one.
        graceTimer = setTimeout(() => {
          pending.delete(id);
          const end = o.afterGrace;
          finish(() => ('value' in end ? resolve(end.value) : reject(end.error)));
          drop(o.dropError);
        }, o.graceMs);
      }
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });

  return {
    streaming,
    request<K extends Res['kind']>(body: WithoutId<Req>, kind: K) {
      return new Promise<Extract<Res, { kind: K }>>((resolve, reject) => {
        send(body, {
          onCrash: reject,
          onMessage: (m, settle) => {
            if (m.kind === kind) {
              settle();
              resolve(m as Extract<Res, { kind: K }>);
            } else if (m.kind === 'error') {
              settle();
              reject(new AnalysisError((m as unknown as { error: SerializedError }).error));
            }
          },
        });
      });
    },
    drop,
    opened(files) {
      openFiles = files;
      needsReopen = false;
    },
    reopenIfNeeded(open) {
      if (!needsReopen || !openFiles) return null;
      return open(openFiles).then(() => {
        needsReopen = false;
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      pending.clear();
      openFiles = null;
      needsReopen = false;
    },
  };
}
