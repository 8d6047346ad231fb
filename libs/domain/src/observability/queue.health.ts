import { Injectable } from '@nestjs/common';
import type { HealthCheckAttempt } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { queueProcessingState } from './bull-internals.js';
import { ObservedQueues } from './observed-queues.js';
import { TimedHealthCheck } from './timed-health-check.js';

/**
 * Every Bull queue is connected and answers; for the queues this process consumes (the worker's), jobs are also
 * being fetched: not closed, not paused, the fetching connection up and the fetch loops running.
 */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly health: TimedHealthCheck,
    private readonly queues: ObservedQueues,
  ) {}

  check(): HealthCheckAttempt<'queue'> {
    return this.health.attempt('queue', async () => {
      const entries = [...this.queues.all()];
      const states = await Promise.all(entries.map(async ([name, queue]) => [name, await describe(queue)] as const));
      const problems = states.filter(([, state]) => state.problem).map(([name, state]) => `${name}: ${state.problem}`);
      if (problems.length > 0) throw new Error(problems.join('; '));
      return { queues: Object.fromEntries(states.map(([name, state]) => [name, state.status])) };
    });
  }
}

async function describe(queue: Queue): Promise<{ status: 'processing' | 'connected'; problem?: string }> {
  const state = queueProcessingState(queue);
  if (state.closing) return { status: 'connected', problem: 'closed' };
  if (queue.client.status !== 'ready') return { status: 'connected', problem: `connection is ${queue.client.status}` };
  await queue.client.ping();
  if (!state.consumed) return { status: 'connected' };
  if (state.pausedLocally) return { status: 'processing', problem: 'processing is paused' };
  if (state.fetchConnection !== 'ready') return { status: 'processing', problem: `job-fetching connection is ${state.fetchConnection ?? 'not open'}` };
  if (!state.loopsRunning) return { status: 'processing', problem: 'processing is not running' };
  return { status: 'processing' };
}
