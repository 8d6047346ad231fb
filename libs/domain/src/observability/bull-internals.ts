import type { Queue } from 'bull';
import type { Redis } from 'ioredis';

/**
 * State Bull 4 keeps on a queue but leaves out of its typings; read-only here, for health checks and the worker's
 * drain (which queues this process consumes). Checked against bull 4.16 (lib/queue.js): `handlers` by process(),
 * `processing` keyed by each running fetch loop, `paused` while paused locally, `closing` once close() was called,
 * `bclient` the blocking connection that fetches jobs.
 */
interface BullQueueInternals {
  handlers?: Record<string, unknown>;
  processing?: Record<string, unknown>;
  paused?: Promise<void> | null;
  closing?: Promise<void>;
  bclientInitialized?: boolean;
  bclient?: Redis;
}

export interface QueueProcessingState {
  /** A processor registered a handler: this process consumes the queue. */
  consumed: boolean;
  /** The fetch loops run (they start once the blocking connection is ready). */
  loopsRunning: boolean;
  pausedLocally: boolean;
  closing: boolean;
  /** Status of the connection that fetches jobs, once there is one. */
  fetchConnection: string | undefined;
}

export function queueProcessingState(queue: Queue): QueueProcessingState {
  const internals = queue as unknown as BullQueueInternals;
  return {
    consumed: Object.keys(internals.handlers ?? {}).length > 0,
    loopsRunning: Object.keys(internals.processing ?? {}).length > 0,
    pausedLocally: Boolean(internals.paused),
    closing: internals.closing !== undefined,
    fetchConnection: internals.bclientInitialized ? internals.bclient?.status : undefined,
  };
}
