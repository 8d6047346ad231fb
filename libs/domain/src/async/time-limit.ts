/**
 * Bounded waits. The work itself is not stopped when time runs out (a promise cannot be cancelled): the caller stops
 * waiting for it and moves on, so a dead dependency never hangs start-up, a request, a scrape or a shutdown.
 */

/** `work`'s result, or a rejection with `message` once `ms` have passed first. */
export async function within<T>(work: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True once `work` has finished, false if `ms` passed first; a rejection of `work` within the time is passed on. */
export async function finishedWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
