import { type INestApplicationContext, Logger } from '@nestjs/common';
import { ShutdownState } from '../observability/shutdown-state.js';

/** After the drain's timeout, closing Postgres, Redis and the HTTP server gets this much longer before a forced exit. */
export const SHUTDOWN_CLOSE_GRACE_MS = 3_000;

export interface ShutdownSignalOptions {
  /** SHUTDOWN_TIMEOUT_MS: how long in-flight work may take. */
  timeoutMs: number;
  /**
   * SHUTDOWN_DELAY_MS: how long the process keeps serving, already not ready, before the drain begins (default 0), so
   * that load balancers stop routing to it first.
   */
  delayMs?: number;
  /**
   * Finishes or hands back in-flight work within `timeoutMs` (stop accepting requests, drain the queues). Resolving
   * `false` means work is still running past the timeout: the process then exits 1 at once rather than closing
   * connections under it (closing would wait for it again).
   */
  drain?: () => Promise<boolean | void>;
}

/**
 * SIGTERM and SIGINT stop the process gracefully: mark it as shutting down (readiness 503), keep serving for
 * `delayMs`, drain in-flight work, close the app (Nest's shutdown hooks: queues, Postgres, Redis) and exit 0. It exits
 * anyway, with code 1, when the drain reports work still running (or cut) at its timeout, when delay, drain and close
 * are not done within `delayMs` + `timeoutMs` + SHUTDOWN_CLOSE_GRACE_MS, or on a second signal (an impatient
 * operator's second Ctrl-C). Used instead of Nest's `enableShutdownHooks`, which ignores a second signal and ends the
 * process by re-raising the signal rather than with exit code 0.
 */
export function exitOnShutdownSignals(app: INestApplicationContext, options: ShutdownSignalOptions): void {
  const logger = new Logger('Shutdown');
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn(`${signal} received again: exiting now, without waiting for work in progress`);
      process.exit(1);
    }
    shuttingDown = true;
    const delayMs = options.delayMs ?? 0;
    logger.log(`${signal} received: shutting down gracefully (in-flight work may take up to ${options.timeoutMs} ms)`);
    const limitMs = delayMs + options.timeoutMs + SHUTDOWN_CLOSE_GRACE_MS;
    const forced = setTimeout(() => {
      logger.error(`shutdown not finished after ${limitMs} ms: exiting now`);
      process.exit(1);
    }, limitMs);
    forced.unref();
    void (async () => {
      try {
        app.get(ShutdownState, { strict: false }).begin();
        if (delayMs > 0) {
          logger.log(`not ready; still serving for ${delayMs} ms so that load balancers stop routing here first`);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        if ((await options.drain?.()) === false) {
          logger.warn('exiting with work unfinished (see above); jobs still running are left to the other workers\' recovery');
          process.exit(1);
        }
        logger.log('closing connections');
        await app.close();
        logger.log('shutdown complete');
        process.exit(0);
      } catch (error) {
        logger.error(`shutdown failed: ${(error as Error).message}`, (error as Error).stack);
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
