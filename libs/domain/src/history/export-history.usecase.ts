import { Inject, Injectable } from '@nestjs/common';
import type { ExportFormat, RecipientHistoryItem, SendHistoryItem } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { type ExportSlot, ExportSlots } from './export-slots.js';
import { type ExportQuery, exportPlannerSettings, exportRecipientsQuery, exportSendsQuery } from './history-export.sql.js';
import { HistoryExportCursor } from './history-export-cursor.js';
import { RECIPIENT_HISTORY_FIELDS, SEND_HISTORY_FIELDS } from './history-rows.js';
import type { RecipientHistoryFilterInput, SendHistoryFilterInput } from './history-sql.js';

export interface HistoryExport<T> {
  /** The file's columns. For `ndjson` each row holds their values in this order; for `csv` one value, the record. */
  fields: readonly (keyof T & string)[];
  format: ExportFormat;
  cursor: HistoryExportCursor;
  /** EXPORT_IDLE_TIMEOUT_MS: the stream is cut when its client accepts nothing for this long. */
  idleTimeoutMs: number;
  /**
   * Gives the export's place back at once (idempotent), for when its response has ended or its client is gone: closing
   * the cursor does it too, but only after the fetch under way and a round trip, and a client's next export must not
   * find its own place still taken.
   */
  release(): void;
}

export interface ExportSettings {
  /**
   * Exports running at once in this process (EXPORTS_AT_ONCE). Each holds a pooled connection (and a snapshot) for
   * as long as its client takes to download: without a cap a few slow downloads would take every connection from the
   * API's pages.
   */
  maxConcurrentExports: number;
  /** Of those, how many one API key may hold at once (EXPORTS_PER_KEY), admins' keys included. */
  maxExportsPerKey: number;
  /**
   * How long a download may go without its client accepting any bytes before it is cut and its place given back
   * (EXPORT_IDLE_TIMEOUT_MS). Measured as progress, so a client that reads slowly keeps its download.
   */
  idleTimeoutMs: number;
  /** How long a download link (`POST /v1/exports/links`) stays usable (EXPORT_LINK_TTL_MS). */
  linkTtlMs: number;
}

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { maxConcurrentExports: 2, maxExportsPerKey: 1, idleTimeoutMs: 30_000, linkTtlMs: 60_000 };

/** Whose export it is (a place is taken for that key), or the place already taken for it. */
export type ExportHolder = { apiKeyId: string } | { slot: ExportSlot };

/** Injection token of the ExportSettings in force. */
export const EXPORT_SETTINGS = Symbol('EXPORT_SETTINGS');

/**
 * Every row matching the history filters, in the pages' order, through a server-side cursor: an export of millions
 * of rows costs the API one chunk of memory. Filters are checked before a connection is taken.
 */
@Injectable()
export class ExportHistoryUseCase {
  private readonly slots: ExportSlots;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EXPORT_SETTINGS) private readonly settings: ExportSettings,
  ) {
    this.slots = new ExportSlots(settings.maxConcurrentExports, settings.maxExportsPerKey);
  }

  /** A place for one export of `apiKeyId`, or a 429 (with Retry-After) when the server or that key is at its cap. */
  reserveSlot(apiKeyId: string): ExportSlot {
    return this.slots.reserve(apiKeyId);
  }

  /** Opens the cursor in the holder's place (taken now when only the key is given); released when the cursor closes. */
  private async open<T>(query: ExportQuery, holder: ExportHolder, fields: readonly (keyof T & string)[], format: ExportFormat): Promise<HistoryExport<T>> {
    const place = 'slot' in holder ? holder.slot : this.reserveSlot(holder.apiKeyId);
    const cursor = await HistoryExportCursor.open(this.dataSource, query.sql, query.params, {
      settings: exportPlannerSettings(query),
      onClose: () => place.release(),
    });
    return { fields, format, cursor, idleTimeoutMs: this.settings.idleTimeoutMs, release: () => place.release() };
  }

  /** Every matching send, newest first. Filters are checked before a place is used (or taken). */
  async sends(filter: SendHistoryFilterInput, format: ExportFormat, holder: ExportHolder): Promise<HistoryExport<SendHistoryItem>> {
    return this.open(exportSendsQuery(filter, format), holder, SEND_HISTORY_FIELDS, format);
  }

  /** Every matching recipient row: one user's, or everyone's send by send (see exportRecipientsQuery). */
  async recipients(
    filter: RecipientHistoryFilterInput,
    format: ExportFormat,
    holder: ExportHolder,
  ): Promise<HistoryExport<RecipientHistoryItem>> {
    return this.open(exportRecipientsQuery(filter, format), holder, RECIPIENT_HISTORY_FIELDS, format);
  }
}
