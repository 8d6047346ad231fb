import { DingrelayAbortError } from './api-client.errors.js';

/** The error a call abandoned through its signal rejects with. */
export function abortError(signal: AbortSignal, what: string): DingrelayAbortError {
  return new DingrelayAbortError(`${what} was aborted`, signal.reason);
}

/** Waits `ms`, or rejects with DingrelayAbortError as soon as `signal` fires (at once if it already has). */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
