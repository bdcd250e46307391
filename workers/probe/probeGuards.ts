/** Guards for probe messages (both sides import this file). */
import type { ProbeRequest, ProbeResponse } from '../probeProtocol';

const RESPONSE_KINDS: ReadonlySet<string> = new Set<ProbeResponse['kind']>(['opened', 'progress', 'result', 'responses', 'weights', 'edited', 'exported', 'lowRankEffect', 'error']);
const REQUEST_KINDS: ReadonlySet<string> = new Set<ProbeRequest['kind']>(['open', 'run', 'respond', 'weights', 'edit', 'export', 'lowRankEffect', 'cancel']);

/** Guard for messages arriving on the main thread. */
export function isProbeResponse(value: unknown): value is ProbeResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return typeof v.id === 'number' && typeof v.kind === 'string' && RESPONSE_KINDS.has(v.kind);
}

/** Guard for messages arriving in the worker. */
export function isProbeRequest(value: unknown): value is ProbeRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return typeof v.id === 'number' && typeof v.kind === 'string' && REQUEST_KINDS.has(v.kind);
}
