import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake remote received: one entry per request, in order. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type RemoteHandler = (req: IncomingMessage, res: ServerResponse, body: string, seen: readonly SeenRequest[]) => void;

/**
 * A real HTTP server on a random local port, standing in for a remote dingrelay (or a proxy in front of one) for what
 * a running stack cannot be made to do on cue: answer 503 with Retry-After, hang, drop the connection. Nothing of
 * the client is replaced; it speaks real HTTP to this.
 */
export class FakeRemote {
  readonly seen: SeenRequest[] = [];
  handler: RemoteHandler = (_req, res) => json(res, 200, {});

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeRemote> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const remote = new FakeRemote(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        remote.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        remote.handler(req, res, body, remote.seen);
      });
    });
    return remote;
  }

  reset(handler: RemoteHandler): void {
    this.seen.length = 0;
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** dingrelay's error body for `status`. */
export function apiError(res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}, details: unknown[] = []): void {
  json(res, status, { status, code, message: `${code} (test)`, details, requestId: `req-${status}` }, headers);
}

/** Closes the connection without an answer: what a client sees when a proxy or the network loses it. */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}
