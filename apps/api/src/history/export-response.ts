import { HttpStatus, Logger } from '@nestjs/common';
import { ApiErrorCode, BOM_WITHOUT_CSV_MESSAGE, type ExportFormat, UTF8_BOM } from '@dingrelay/contracts';
import type { ExportRow, HistoryExport } from '@dingrelay/domain';
import type { Request, Response } from 'express';
import { ApiException } from '../http/api.exception.js';

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** How the file is made: its format, and for CSV whether it starts with the UTF-8 byte order mark. */
export interface ExportFile {
  format: ExportFormat;
  bom: boolean;
}

/**
 * `format=` wins; otherwise the Accept header may ask for NDJSON; CSV by default. `bom=true` with a file that turns
 * out NDJSON (asked for by Accept: the query's own `format=ndjson` was refused by validation) is a 400 too.
 */
export function exportFile(query: { format?: ExportFormat; bom?: boolean }, req: Request): ExportFile {
  let format = query.format;
  if (!format) {
    const preferred = req.accepts(['text/csv', 'application/x-ndjson', 'application/ndjson']);
    format = preferred === 'application/x-ndjson' || preferred === 'application/ndjson' ? 'ndjson' : 'csv';
  }
  if (query.bom && format !== 'csv') {
    throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `Invalid request: ${BOM_WITHOUT_CSV_MESSAGE}`, [
      { field: 'bom', message: BOM_WITHOUT_CSV_MESSAGE },
    ]);
  }
  return { format, bom: query.bom === true };
}

function encode(rows: readonly ExportRow[], fields: readonly string[], format: ExportFormat): string {
  let out = '';
  if (format === 'csv') {
    // Postgres built each record (see history-rows.ts): one value per row.
    for (const row of rows) out += `${row[0] as string}\r\n`;
    return out;
  }
  // Each line an object keyed by the fields, the same JSON a page item is; keys are quoted once per chunk.
  const keys = fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f)}:`);
  for (const row of rows) {
    for (let i = 0; i < keys.length; i++) out += keys[i] + JSON.stringify(row[i] ?? null);
    out += '}\n';
  }
  return out;
}

/**
 * Bytes handed to the socket at a time. Progress is measured by these pieces: each `drain` after one means the client
 * took bytes, so a client reading slowly (backpressure) keeps going, and one that accepts nothing is seen as stalled.
 * A cursor chunk (up to 5,000 rows, hundreds of kB) written whole would drain only once fully taken, which a slow
 * but steady reader could take longer than the idle timeout to do.
 */
export const EXPORT_WRITE_PIECE_BYTES = 16 * 1024;

type Waited = 'drained' | 'gone' | 'stalled';

/**
 * Resolves when the response can take more, is gone, or `idleMs` passed without either. Listeners are removed
 * every time: one export waits thousands of times, and a leftover `once()` promise would reject unhandled on a later
 * socket error.
 */
function drainedClosedOrStalled(res: Response, idleMs: number): Promise<Waited> {
  if (res.destroyed) return Promise.resolve('gone');
  return new Promise((resolve) => {
    const finish = (outcome: Waited) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(outcome);
    };
    const onDrain = () => finish('drained');
    const onClose = () => finish('gone');
    const timer = setTimeout(() => finish('stalled'), idleMs);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Writes `text` piece by piece, waiting for each piece the socket cannot take at once; stops early when gone or stalled. */
async function writeWithProgress(res: Response, text: string, idleMs: number): Promise<'written' | 'gone' | 'stalled'> {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += EXPORT_WRITE_PIECE_BYTES) {
    if (res.write(bytes.subarray(offset, offset + EXPORT_WRITE_PIECE_BYTES))) continue;
    const waited = await drainedClosedOrStalled(res, idleMs);
    if (waited !== 'drained') return waited;
  }
  return 'written';
}

/** The headers of an export's file: its type, its name (`<name>-<UTC time>.<format>`), never cached. */
export function setExportFileHeaders(res: Response, format: ExportFormat, name: string): void {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  res.setHeader('Content-Type', CONTENT_TYPE[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${name}-${stamp}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * How long the first rows may take before the response starts without them: its headers, and for CSV the header row
 * (after the byte order mark, if any). An export whose filter matches rarely can search a long time for its first
 * rows; the client sees the download begin meanwhile instead of a silent connection.
 */
export const FIRST_BYTES_WITHIN_MS = 300;

const logger = new Logger('Exports');

/**
 * Streams an export into the response, one cursor chunk at a time and only as fast as the client reads (waits for
 * `drain`), so memory stays flat. The response starts with the first chunk, or after `firstBytesWithinMs` if that
 * takes longer: a query failing before is still an ordinary error response. A failure after the response started
 * destroys the connection instead of ending the body, so the client sees a truncated transfer rather than a file
 * that looks complete. A client that goes away stops the export and the cursor is closed, which frees its connection
 * and its export place at once; so does a client that accepts no bytes for the export's idle timeout (the connection is
 * cut), since one that opens exports and never reads would otherwise hold their places for ever.
 */
export async function sendExport<T>(
  res: Response,
  exported: HistoryExport<T>,
  name: string,
  { bom = false, firstBytesWithinMs = FIRST_BYTES_WITHIN_MS }: { bom?: boolean; firstBytesWithinMs?: number } = {},
): Promise<void> {
  const { cursor, fields, format, idleTimeoutMs } = exported;
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.once('close', onClose);
  let started = false;
  const start = () => {
    if (started || gone) return;
    started = true;
    res.status(200);
    setExportFileHeaders(res, format, name);
    // Our own field names: plain identifiers, nothing to quote. The byte order mark, when asked for, comes first.
    if (format === 'csv') res.write(`${bom ? UTF8_BOM : ''}${fields.join(',')}\r\n`);
    else res.flushHeaders();
  };
  try {
    let rows: ExportRow[];
    const late = setTimeout(start, firstBytesWithinMs);
    try {
      rows = await cursor.next();
    } catch (error) {
      // Before the response started this is an ordinary error answer (the caller's exception filter writes it).
      if (!started) throw error;
      res.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    } finally {
      clearTimeout(late);
    }
    start();
    try {
      while (rows.length > 0 && !gone) {
        const written = await writeWithProgress(res, encode(rows, fields, format), idleTimeoutMs);
        if (written === 'stalled') {
          logger.warn(`a ${name} export was cut: its client accepted no bytes for ${idleTimeoutMs} ms (EXPORT_IDLE_TIMEOUT_MS)`);
          res.destroy();
          return;
        }
        if (written === 'gone' || gone) break;
        rows = await cursor.next();
      }
    } catch (error) {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!gone) res.end();
  } finally {
    res.off('close', onClose);
    // The response has ended, been cut, or its client is gone: the place is free now, before the cursor's cleanup.
    exported.release();
    await cursor.close();
  }
}
