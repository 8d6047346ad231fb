import { ApiErrorCode } from '@dingrelay/contracts';
import { DomainError } from '../errors/domain.error.js';

/**
 * One of this process's export places, taken before anything else is spent on an export (a download link is only
 * consumed once its export has a place) and given back when the export's cursor closes or it never opens.
 */
export interface ExportSlot {
  /** Idempotent. */
  release(): void;
}

/**
 * What a refused export's caller should wait before trying again (Retry-After). Nothing says when a running export
 * will end; a few seconds keeps a polling client from hammering while not making a short wait long.
 */
export const EXPORT_BUSY_RETRY_AFTER_SECONDS = 5;

/** A 429: every export place is taken, or the caller's key holds as many as one key may. */
export class ExportSlotBusyError extends DomainError {
  readonly retryAfterSeconds = EXPORT_BUSY_RETRY_AFTER_SECONDS;

  constructor(message: string) {
    super(ApiErrorCode.TooManyRequests, message);
  }
}

/**
 * The process's export places: at most `atOnce` in all and at most `perKey` for one API key, so one key (an admin's
 * included) cannot take every place and leave everyone else with 429s. In memory: the places guard this process's
 * own connection pool, which is what an export holds while it streams.
 */
export class ExportSlots {
  private running = 0;
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly atOnce: number,
    private readonly perKey: number,
  ) {}

  /** A place for an export of `apiKeyId`, or an ExportSlotBusyError. */
  reserve(apiKeyId: string): ExportSlot {
    const held = this.byKey.get(apiKeyId) ?? 0;
    if (held >= this.perKey) {
      throw new ExportSlotBusyError(
        `This API key is already running ${held} ${held === 1 ? 'export' : 'exports'} on this server (at most ${this.perKey} per key); ` +
          'try again when it has finished',
      );
    }
    if (this.running >= this.atOnce) {
      const max = this.atOnce;
      throw new ExportSlotBusyError(`${max} ${max === 1 ? 'export is' : 'exports are'} already running on this server; try again when one has finished`);
    }
    this.running++;
    this.byKey.set(apiKeyId, held + 1);
    let holding = true;
    return {
      release: () => {
        if (!holding) return;
        holding = false;
        this.running--;
        const left = (this.byKey.get(apiKeyId) ?? 1) - 1;
        if (left > 0) this.byKey.set(apiKeyId, left);
        else this.byKey.delete(apiKeyId);
      },
    };
  }

  /** Places taken right now, in all and by `apiKeyId` (metrics, tests). */
  inUse(apiKeyId?: string): number {
    return apiKeyId === undefined ? this.running : (this.byKey.get(apiKeyId) ?? 0);
  }
}
