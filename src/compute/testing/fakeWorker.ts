/** A scripted stand-in for a worker in client tests: `behave` answers each request the client posts. */
export class FakeWorker<Req, Res> extends EventTarget {
  /** Every fake started since the last reset, in order (tests reset it to `[]`). */
  static spawned: FakeWorker<never, never>[] = [];
  readonly received: Req[] = [];
  terminated = false;
  constructor(private readonly behave: (w: FakeWorker<Req, Res>, r: Req) => void) {
    super();
    FakeWorker.spawned.push(this as unknown as FakeWorker<never, never>);
  }
  postMessage(message: Req) {
    this.received.push(message);
    queueMicrotask(() => this.behave(this, message));
  }
  reply(message: Res) {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  /** Fire the worker's `error` event, as an uncaught exception in a real worker does. */
  crash(text: string) {
    const event = new Event('error', { cancelable: true }) as Event & { message: string };
    event.message = text;
    this.dispatchEvent(event);
  }
  terminate() {
    this.terminated = true;
  }
}

/** A `spawn` function for a client that starts a fake with the given behaviour. */
export const spawnFake =
  <Req, Res>(behave: (w: FakeWorker<Req, Res>, r: Req) => void) =>
  () =>
    new FakeWorker<Req, Res>(behave) as unknown as Worker;

/** The fakes started so far, typed for one protocol. */
export const spawnedFakes = <Req, Res>() => FakeWorker.spawned as unknown as FakeWorker<Req, Res>[];
