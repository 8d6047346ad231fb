import net from 'node:net';

/** The error `p` rejects with (the client's typed errors are the subject of most assertions); fails if it resolves. */
export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/**
 * A local port nothing listens on (connections are refused). The testing kit's freePort does the same, but loading
 * the kit loads the domain, too heavy for the client's unit specs.
 */
export async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
