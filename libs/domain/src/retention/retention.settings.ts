/** How long recipient-level detail is kept, and how the purge paces itself. */
export interface RetentionSettings {
  /** Finished sends created longer ago than this lose their per-recipient detail. */
  recipientRetentionDays: number;
  /** How often the purge runs (a Bull repeatable job; one run per interval across all workers). */
  intervalMs: number;
  /** Rows deleted or rewritten per statement: each statement commits on its own, so no lock is held for long. */
  chunkRows: number;
}

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  recipientRetentionDays: 400,
  intervalMs: 3_600_000,
  chunkRows: 5_000,
};

export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');
