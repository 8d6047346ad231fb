import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { ExportDownload } from './export-download.js';

// Node only (files): kept out of `@dingrelay/contracts/client`, which browsers load too (the console).
export interface WriteExportOptions {
  /** Called after each chunk with the bytes written so far. */
  onProgress?: (bytesWritten: number) => void;
}

/**
 * Writes an export to `path`: first to `path.partial`, renamed once the whole transfer arrived, so a cut transfer
 * never leaves a file that looks complete. Resolves with the bytes written.
 */
export async function writeExportToFile(download: Pick<ExportDownload, 'body'>, path: string, options: WriteExportOptions = {}): Promise<{ bytes: number }> {
  const partial = `${path}.partial`;
  const file = createWriteStream(partial);
  let bytes = 0;
  try {
    for await (const chunk of download.body) {
      if (!file.write(chunk)) await once(file, 'drain');
      bytes += chunk.byteLength;
      options.onProgress?.(bytes);
    }
    file.end();
    await once(file, 'close');
    await rename(partial, path);
    return { bytes };
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
