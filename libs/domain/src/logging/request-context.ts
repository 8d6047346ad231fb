import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a log line says about the unit of work it was written in: an API request (its `X-Request-Id`, the calling
 * key's non-secret prefix and id) or a worker job (its queue and id, the batch and send it works on, and the id of the
 * API request that enqueued it when known). Never a secret: the logger prints these fields as they are (redacted
 * like everything else, but they should not need it).
 */
export interface RequestContext {
  requestId?: string;
  keyPrefix?: string;
  apiKeyId?: string;
  queue?: string;
  jobId?: string;
  batchId?: string;
  sendId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `work` (and everything it starts: awaited calls, timers, callbacks) with `context` on every log line. Nested
 * calls see the outer fields too, the inner ones winning.
 */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...context } : { ...context }, work);
}

/** The context of the work under way, undefined outside any. */
export function currentRequestContext(): Readonly<RequestContext> | undefined {
  return storage.getStore();
}

/**
 * Adds fields learnt along the way (the key once authenticated, the send once a batch is claimed) to the current
 * context, so later lines of the same request or job carry them. Outside any context it does nothing.
 */
export function annotateRequestContext(fields: RequestContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}
