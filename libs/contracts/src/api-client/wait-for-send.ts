import type { SendStatusResponse } from '../sends/send.responses.js';
import { SendStatus } from '../sends/send-status.js';
import { abortableSleep } from './abortable-sleep.js';
import { DingrelayWaitTimeoutError } from './api-client.errors.js';
import type { CallOptions } from './call-options.js';

export interface WaitForSendOptions {
  /** Stops waiting (DingrelayAbortError): the poll in flight and the pause between polls. */
  signal?: AbortSignal;
  /**
   * Give up after this long with DingrelayWaitTimeoutError, whose `send` is the status read at the deadline (the last
   * poll is made then, so it is current). Default: as long as the send takes.
   */
  timeoutMs?: number;
  /** Pause between polls. Default 1 000 ms. */
  pollIntervalMs?: number;
  /**
   * Told every status read, the final one included: recipients per status (`send.recipients`), and the API's estimate
   * of when it will be done (`send.progress.estimatedCompletionAt`, null once nothing is pending).
   */
  onProgress?: (send: SendStatusResponse) => void;
}

export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** Completed or cancelled: every recipient is in a terminal status and the send will not change any more. */
export function isSendFinished(send: Pick<SendStatusResponse, 'status'>): boolean {
  return send.status === SendStatus.Completed || send.status === SendStatus.Cancelled;
}

/**
 * Polls `getSend(id)` until the send is completed or cancelled and resolves with that status. Each poll is an
 * ordinary read, so a passing failure (no answer, 429, 502/503/504) is retried by the client's policy before the wait
 * gives up; any other error (404, 401, …) rejects at once.
 */
export async function waitForSend(
  getSend: (id: string, options: CallOptions) => Promise<SendStatusResponse>,
  id: string,
  { signal, timeoutMs, pollIntervalMs = DEFAULT_POLL_INTERVAL_MS, onProgress }: WaitForSendOptions = {},
): Promise<SendStatusResponse> {
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  for (;;) {
    const send = await getSend(id, { signal });
    onProgress?.(send);
    if (isSendFinished(send)) return send;
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw new DingrelayWaitTimeoutError(send, timeoutMs!);
    await abortableSleep(Math.min(pollIntervalMs, remainingMs), signal, `waiting for send ${id}`);
  }
}
