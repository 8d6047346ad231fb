import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';

/**
 * Tracks an HTTP server's connections so it can stop gracefully: `server.close()` alone stops accepting but leaves
 * keep-alive connections open until the client hangs up, and Nest's `forceCloseConnections` cuts requests mid-answer.
 * Here: stop accepting, close idle connections at once, close each busy one as soon as its response is sent, and
 * destroy whatever is left at the deadline (a long export is cut rather than ended so it looks complete).
 * Install it before the server listens.
 */
export class HttpConnections {
  /** Requests in progress per connection. */
  private readonly busy = new Map<Socket, number>();
  private closing = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.busy.set(socket, 0);
      socket.once('close', () => this.busy.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      // A request that arrives on a kept-alive connection while draining is answered, and its connection closed.
      if (this.closing) res.setHeader('Connection', 'close');
      this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const left = (this.busy.get(socket) ?? 1) - 1;
        if (!this.busy.has(socket)) return;
        this.busy.set(socket, left);
        if (this.closing && left === 0) socket.end();
      });
    });
  }

  /** Requests being answered now. */
  get inFlight(): number {
    let n = 0;
    for (const count of this.busy.values()) n += count;
    return n;
  }

  /** `drain`, logging each phase (the API's shutdown). */
  async drainReporting(timeoutMs: number): Promise<boolean> {
    const logger = new Logger('Shutdown');
    logger.log(`draining: no new connections; waiting up to ${timeoutMs} ms for ${this.inFlight} requests in progress`);
    const inFlightAtStart = this.inFlight;
    const finished = await this.drain(timeoutMs);
    if (finished) logger.log('drained: every request in progress was answered');
    else logger.warn(`shutdown timeout (${timeoutMs} ms) reached: the connections still open were cut (of ${inFlightAtStart} requests in progress)`);
    return finished;
  }

  /** Resolves true once every connection has closed, false if some were destroyed at `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const socket of this.busy.keys()) socket.destroy();
        resolve(false);
      }, timeoutMs);
      this.server.close(() => {
        clearTimeout(timer);
        resolve(true);
      });
      for (const [socket, count] of this.busy) if (count === 0) socket.end();
    });
  }
}
