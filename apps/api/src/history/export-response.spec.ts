import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportRow, HistoryExport, HistoryExportCursor } from '@dingrelay/domain';
import express from 'express';
import { sendExport } from './export-response.js';

/** A cursor whose chunks come when the test says, as a slow query's would. */
function scriptedCursor(chunks: (() => Promise<ExportRow[]>)[]): { cursor: HistoryExportCursor; closed: () => boolean } {
  let closed = false;
  const cursor = {
    next: async () => (chunks.length ? chunks.shift()!() : []),
    close: async () => {
      closed = true;
    },
  };
  return { cursor: cursor as unknown as HistoryExportCursor, closed: () => closed };
}

const after = <T>(ms: number, value: T) => () => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number) => () => new Promise<ExportRow[]>((_, reject) => setTimeout(() => reject(new Error('query failed')), ms));

/** Serves one export with sendExport, then reads it as a client: when the first byte came, and everything. */
async function serve(
  exported: HistoryExport<{ a: string }>,
  options: { bom?: boolean; firstBytesWithinMs?: number },
): Promise<{ status: number; headersMs: number; firstByteMs: number | undefined; body: Buffer; error?: string }> {
  const app = express();
  app.get('/export', (_req, res) => {
    sendExport(res, exported, 'sends', options).catch((error: Error) => res.status(500).json({ message: error.message }));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const t0 = Date.now();
  try {
    return await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/export' }, (res) => {
        const headersMs = Date.now() - t0;
        const chunks: Buffer[] = [];
        let firstByteMs: number | undefined;
        res.on('data', (chunk: Buffer) => {
          firstByteMs ??= Date.now() - t0;
          chunks.push(chunk);
        });
        const done = (error?: string) => resolve({ status: res.statusCode ?? 0, headersMs, firstByteMs, body: Buffer.concat(chunks), error });
        res.on('end', () => done());
        res.on('aborted', () => done('aborted'));
        res.on('error', () => done('aborted'));
      });
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('sendExport', () => {
  it('starts the file (headers, byte order mark, header row) when the first rows are late, then streams them', async () => {
    const { cursor, closed } = scriptedCursor([after(400, [['x,1']]), after(0, [['y,2']])]);
    const res = await serve({ cursor, fields: ['a'], format: 'csv', idleTimeoutMs: 30_000, release: () => undefined }, { bom: true, firstBytesWithinMs: 50 });
    expect(res.status).toBe(200);
    expect(res.headersMs).toBeLessThan(300);
    expect(res.firstByteMs).toBeLessThan(300);
    expect(res.body.toString('utf8')).toBe('\uFEFFa\r\nx,1\r\ny,2\r\n');
    expect(closed()).toBe(true);
  });

  it('answers with the first rows when they come in time, and an ordinary error when the query fails first', async () => {
    const quick = scriptedCursor([after(5, [['x,1']])]);
    const ok = await serve({ cursor: quick.cursor, fields: ['a'], format: 'csv', idleTimeoutMs: 30_000, release: () => undefined }, { firstBytesWithinMs: 500 });
    expect({ status: ok.status, body: ok.body.toString('utf8') }).toEqual({ status: 200, body: 'a\r\nx,1\r\n' });

    const failing = scriptedCursor([failAfter(20)]);
    const refused = await serve({ cursor: failing.cursor, fields: ['a'], format: 'csv', idleTimeoutMs: 30_000, release: () => undefined }, { firstBytesWithinMs: 500 });
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body.toString('utf8'))).toEqual({ message: 'query failed' });
    expect(failing.closed()).toBe(true);
  });

  it('cuts the transfer when the query fails after the file started, never ending a file that looks complete', async () => {
    const { cursor, closed } = scriptedCursor([failAfter(300)]);
    const res = await serve({ cursor, fields: ['a'], format: 'csv', idleTimeoutMs: 30_000, release: () => undefined }, { firstBytesWithinMs: 20 });
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe('a\r\n');
    expect(res.error).toBe('aborted');
    expect(closed()).toBe(true);
  });

  it('sends an NDJSON response its headers when the first rows are late', async () => {
    const { cursor } = scriptedCursor([after(300, [['x']])]);
    const res = await serve({ cursor, fields: ['a'], format: 'ndjson', idleTimeoutMs: 30_000, release: () => undefined }, { firstBytesWithinMs: 20 });
    expect(res.headersMs).toBeLessThan(250);
    expect(res.body.toString('utf8')).toBe('{"a":"x"}\n');
  });

  describe('a client that stops reading', () => {
    /** Rows of about 1 kB; `rowsPerChunk` of them a cursor chunk. Without `chunks`, rows never run out. */
    function bigCursor(rowsPerChunk: number, chunks = Infinity): { cursor: HistoryExportCursor; closed: () => boolean; closedAt: () => number | undefined } {
      let left = chunks;
      let closedAt: number | undefined;
      const row = 'y'.repeat(1_000);
      const cursor = {
        next: async () => (left-- > 0 ? Array.from({ length: rowsPerChunk }, (_, i) => [`${i},${row}`]) : []),
        close: async () => {
          closedAt ??= Date.now();
        },
      };
      return { cursor: cursor as unknown as HistoryExportCursor, closed: () => closedAt !== undefined, closedAt: () => closedAt };
    }

    /** Serves one export; `read` decides how the client reads it. */
    async function serveTo<R>(exported: HistoryExport<{ a: string }>, read: (res: http.IncomingMessage) => Promise<R>): Promise<R> {
      const app = express();
      app.get('/export', (_req, res) => {
        sendExport(res, exported, 'sends').catch(() => res.destroy());
      });
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/export' }, resolve).on('error', reject));
        return await read(res);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }

    const outcomeOf = (res: http.IncomingMessage) =>
      new Promise<'ended' | 'aborted'>((resolve) => {
        res.on('end', () => resolve('ended'));
        res.on('aborted', () => resolve('aborted'));
        res.on('error', () => resolve('aborted'));
      });

    it('is cut after the idle timeout, and the cursor (with its export place) is closed', async () => {
      const { cursor, closed, closedAt } = bigCursor(1_000);
      const idleTimeoutMs = 400;
      await serveTo({ cursor, fields: ['a'], format: 'csv', idleTimeoutMs, release: () => undefined }, async (res) => {
        res.pause();
        const outcome = outcomeOf(res);
        const pausedAt = Date.now();
        for (let waited = 0; !closed() && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
        expect(closed()).toBe(true);
        // Not before the timeout; and well within a few of them (the socket buffers fill first).
        expect(closedAt()! - pausedAt).toBeGreaterThanOrEqual(idleTimeoutMs);
        expect(closedAt()! - pausedAt).toBeLessThan(idleTimeoutMs + 5_000);
        res.resume();
        expect(await outcome).toBe('aborted');
      });
    });

    it('is not confused with a client that reads slowly: backpressure with progress keeps the download going', async () => {
      // Chunks of ~8 MB, each taking this reader longer than the idle timeout to accept: progress is measured by
      // pieces, not by whole chunks, or this download would be cut. (TCP itself makes a reader that is the bottleneck
      // take bytes in bursts, a receive window at a time: here some 300 ms apart, hence a 1 s timeout.)
      const { cursor, closed } = bigCursor(8_000, 3);
      const idleTimeoutMs = 1_000;
      const started = Date.now();
      const result = await serveTo({ cursor, fields: ['a'], format: 'csv', idleTimeoutMs, release: () => undefined }, async (res) => {
        const outcome = outcomeOf(res);
        let received = 0;
        let budget = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          budget -= chunk.length;
          if (budget <= 0) res.pause();
        });
        res.pause();
        // About 5 MB/s: an 8 MB chunk takes ~1.6 s, longer than the idle timeout.
        const reader = setInterval(() => {
          budget = 256 * 1024;
          res.resume();
        }, 50);
        try {
          return { outcome: await outcome, received };
        } finally {
          clearInterval(reader);
        }
      });
      expect(result.outcome).toBe('ended');
      expect(result.received).toBeGreaterThan(24 * 1_000 * 1_000);
      expect(Date.now() - started).toBeGreaterThan(2 * idleTimeoutMs);
      expect(closed()).toBe(true);
    }, 30_000);
  });
});
