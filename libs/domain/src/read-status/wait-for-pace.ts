import type { AppPacer } from '../pacing/app-pacer.js';

/**
 * Waits for `holderId`'s turn in the app's pace on `api`. Polls and recalls run in the worker's scanners, which have
 * no queue to hand a job back to, so a far slot is slept through rather than handed back; the slot stays reserved
 * for this caller either way, so the app's pace holds across every worker.
 */
export async function waitForPace(pacer: AppPacer, appKey: string, api: string, callsPerSecond: number, holderId: string): Promise<void> {
  const slot = await pacer.reserve(appKey, api, callsPerSecond, holderId);
  if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
}
