import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpConnections } from './http-connections.js';

/** A server whose `/slow` requests are answered only when the test says so, and `/never` not at all. */
async function startServer(): Promise<{ server: http.Server; connections: HttpConnections; url: string; answerSlow: () => void; slowArrived: Promise<void> }> {
  let answerSlow: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      answerSlow = () => res.end('slow done');
      arrived();
      return;
    }
    if (req.url === '/never') {
      arrived();
      return;
    }
    res.end('ok');
  });
  const connections = new HttpConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, connections, url: `http://127.0.0.1:${port}`, answerSlow: () => answerSlow(), slowArrived };
}

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, closed }));
    });
    let closed: Promise<void> = Promise.resolve();
    req.once('socket', (socket) => (closed = new Promise((done) => socket.once('close', () => done()))));
    req.on('error', reject);
  });
}

describe('HttpConnections', () => {
  it('answers the request in progress, closes idle keep-alive connections, and resolves true', async () => {
    const { connections, url, answerSlow, slowArrived } = await startServer();
    // Two agents: one keeps a connection open and idle, the other's connection is busy.
    const agent = new http.Agent({ keepAlive: true });
    const busyAgent = new http.Agent({ keepAlive: true });
    const idle = await get(agent, `${url}/`);
    expect(idle.body).toBe('ok');
    const slow = get(busyAgent, `${url}/slow`);
    await slowArrived;
    expect(connections.inFlight).toBe(1);

    const drained = connections.drain(30_000);
    // The idle connection is closed by the server, without waiting for the client.
    await idle.closed;
    answerSlow();
    expect((await slow).body).toBe('slow done');
    await expect(drained).resolves.toBe(true);
    // No new connections.
    await expect(get(new http.Agent(), `${url}/`)).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
    busyAgent.destroy();
  });

  it('cuts what is still open at the timeout and resolves false', async () => {
    const { connections, url, slowArrived } = await startServer();
    const agent = new http.Agent({ keepAlive: true });
    const never = get(agent, `${url}/never`);
    await slowArrived;
    await expect(connections.drain(100)).resolves.toBe(false);
    await expect(never).rejects.toThrow(/socket hang up|ECONNRESET/);
    agent.destroy();
  });
});
