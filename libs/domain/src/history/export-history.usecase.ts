import { Inject, Injectable } from '@nestjs/common';
import { ApiErrorCode, type ExportFormat, type RecipientHistoryItem, type SendHistoryItem } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain.error.js';
import { type ExportQuery, exportPlannerSettings, exportRecipientsQuery, exportSendsQuery } from './history-export.sql.js';
import { HistoryExportCursor } from './history-export-cursor.js';
import { RECIPIENT_HISTORY_FIELDS, SEND_HISTORY_FIELDS } from './history-rows.js';
import type { RecipientHistoryFilterInput, SendHistoryFilterInput } from './history-sql.js';

export interface HistoryExport<T> {
  /** The file's columns. For `ndjson` each row holds their values in this order; for `csv` one value, the record. */
  fields: readonly (keyof T & string)[];
  format: ExportFormat;
  cursor: HistoryExportCursor;
}

export interface ExportSettings {
  /**
   * Exports running at once in this process (EXPORTS_AT_ONCE). Each holds a pooled connection (and a snapshot) for
   * as long as its client takes to download: without a cap a few slow downloads would take every connection from the
   * API's pages.
   */
  maxConcurrentExports: number;
  /** How long a download link (`POST /v1/exports/links`) stays usable (EXPORT_LINK_TTL_MS). */
  linkTtlMs: number;
}

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { maxConcurrentExports: 2, linkTtlMs: 60_000 };

/**
 * One of this process's EXPORTS_AT_ONCE places, taken before anything else is spent on an export (a download link
 * is only consumed once its export has a place) and given back when the export's cursor closes or it never opens.
 */
export interface ExportSlot {
  /** Idempotent. */
  release(): void;
}

/** Injection token of the ExportSettings in force. */
export const EXPORT_SETTINGS = Symbol('EXPORT_SETTINGS');

/**
 * Every row matching the history filters, in the pages' order, through a server-side cursor: an export of millions
 * of rows costs the API one chunk of memory. Filters are checked before a connection is taken.
 */
@Injectable()
export class ExportHistoryUseCase {
  private running = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EXPORT_SETTINGS) private readonly settings: ExportSettings,
  ) {}

  /** A place for one export, or a 429 when EXPORTS_AT_ONCE are already running here. */
  reserveSlot(): ExportSlot {
    const max = this.settings.maxConcurrentExports;
    if (this.running >= max) {
      throw new DomainError(
        ApiErrorCode.TooManyRequests,
        `${max} ${max === 1 ? 'export is' : 'exports are'} already running on this server; try again when one has finished`,
      );
    }
    this.running++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.running--;
      },
    };
  }

  /** Opens the cursor in `slot` (a fresh one when none is given); the slot is released when the cursor closes. */
  private async open(query: ExportQuery, slot: ExportSlot | undefined): Promise<HistoryExportCursor> {
    const place = slot ?? this.reserveSlot();
    return HistoryExportCursor.open(this.dataSource, query.sql, query.params, {
      settings: exportPlannerSettings(query),
      onClose: () => place.release(),
    });
  }

  /** Every matching send, newest first. Filters are checked before `slot` is used (or one is taken). */
  async sends(filter: SendHistoryFilterInput, format: ExportFormat, slot?: ExportSlot): Promise<HistoryExport<SendHistoryItem>> {
    return { fields: SEND_HISTORY_FIELDS, format, cursor: await this.open(exportSendsQuery(filter, format), slot) };
  }

  /** Every matching recipient row: one user's, or everyone's send by send (see exportRecipientsQuery). */
  async recipients(
    filter: RecipientHistoryFilterInput,
    format: ExportFormat,
    slot?: ExportSlot,
  ): Promise<HistoryExport<RecipientHistoryItem>> {
    return { fields: RECIPIENT_HISTORY_FIELDS, format, cursor: await this.open(exportRecipientsQuery(filter, format), slot) };
  }
}
