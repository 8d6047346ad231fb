import type { ExportFormat } from '../history/export-formats.js';

/**
 * A streamed export as dingrelay sends it. `body` can be read once. A transfer the server cut short (its way of
 * saying the export failed mid-way) ends the iteration with a DingrelayConnectionError, never quietly.
 */
export interface ExportDownload {
  format: ExportFormat;
  /** From `Content-Disposition`, e.g. `sends-20261121T183000Z.csv`; null if the server named none. */
  filename: string | null;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
}

/** Reads `body` chunk by chunk, turning a broken transfer into `toError(cause)`. */
export async function* guardedBody(body: AsyncIterable<Uint8Array>, toError: (cause: unknown) => Error): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw toError(error);
  }
}

/** `attachment; filename="x.csv"` → `x.csv`. */
export function filenameFromDisposition(header: string | null): string | null {
  const match = header?.match(/filename="([^"]+)"/);
  return match?.[1] ?? null;
}

/**
 * NDJSON lines as objects. A last line without its newline means the transfer was cut (dingrelay ends every line),
 * so it is an error rather than a row.
 */
export async function* ndjsonRows<T>(bytes: AsyncIterable<Uint8Array>, toError: (message: string) => Error): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of bytes) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  pending += decoder.decode();
  if (pending.trim() !== '') throw toError('the export ended in the middle of a line: the transfer was cut short');
}
