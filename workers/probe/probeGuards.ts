/** Guards for probe messages (both sides import this file). */
import type { ProbeRequest, ProbeResponse } from '../probeProtocol';

/** Guard for messages arriving on the main thread. */
export function isProbeResponse(value: unknown): value is ProbeResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return typeof v.id === 'number' && (v.kind === 'opened' || v.kind === 'progress' || v.kind === 'result' || v.kind === 'error');
}

/** Guard for messages arriving in the worker. */
export function isProbeRequest(value: unknown): value is ProbeRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return typeof v.id === 'number' && (v.kind === 'open' || v.kind === 'run' || v.kind === 'cancel');
}
