import { randomInt } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

/** Postgres aborts these transactions only because of others running at the same moment; run again, they succeed. */
const CONFLICT_CODES = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

/** Whether `error` is Postgres aborting a transaction for a conflict with a concurrent one (not for what it did). */
export function isTransactionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return CONFLICT_CODES.has(String(code ?? driverError?.code));
}

export interface RetryingTransactionOptions {
  /** Runs in all, the first included. */
  attempts?: number;
  /** Says which transaction ran into the conflict, once per retry. */
  logger?: Pick<Logger, 'warn'>;
  label?: string;
}

/**
 * Runs `work` in a transaction, and again in a fresh one when Postgres aborts it for a deadlock or a serialization
 * failure. For transactions that record something only this process knows — a DingTalk answer held in memory — where
 * losing the write would turn a known outcome into an ambiguous one. `work` must derive everything it returns from
 * what it does inside the transaction: a rolled-back run leaves nothing behind.
 */
export async function retryingTransaction<T>(
  dataSource: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  options: RetryingTransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isTransactionConflict(error)) throw error;
      options.logger?.warn(
        `${options.label ?? 'transaction'}: ${(error as Error).message}; running it again (${attempt + 1} of ${attempts})`,
      );
      // The other side of the conflict usually commits within milliseconds; jitter keeps two victims from meeting again.
      await new Promise((resolve) => setTimeout(resolve, randomInt(5, 25 * attempt)));
    }
  }
}
