// Probes and small helpers for tools/dev/start.mjs: is a Postgres/Redis already there, is a port free,
// wait until something answers. Plain Node, no dependencies beyond `pg` (already an app dependency).
import { access, constants } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * Try to log in to a Postgres server. Returns { ok: true } or { ok: false, absent, reason }:
 * `absent` means nothing listens there (so falling back is the normal path), otherwise something
 * answered but refused us (wrong password, unknown role, …) and the reason is worth showing.
 */
export async function probePostgres(url, timeoutMs = 2000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a late socket error must not crash the supervisor
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (err) {
    const absent = err?.code === 'ECONNREFUSED' || err?.code === 'EHOSTUNREACH' || /timeout/i.test(String(err?.message));
    return { ok: false, absent, reason: err?.message ?? String(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Create database `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) {
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
        return true;
      } catch (err) {
        if (err?.code !== '42P04') throw err; // someone else created it meanwhile: fine
      }
    }
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The apps' runtime role on the server behind `ownerUrl` (a superuser or a role with CREATEROLE): created if missing,
 * its password set to `password` either way. Returns `ownerUrl` logging in as that role instead. What it may do in the
 * database the migrations grant it when the apps start with DATABASE_MIGRATION_URL = `ownerUrl`.
 */
export async function ensureRuntimeRole(ownerUrl, role, password) {
  const client = new pg.Client({ connectionString: ownerUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    const verb = rowCount === 0 ? 'create' : 'alter';
    try {
      await client.query(`${verb} role ${client.escapeIdentifier(role)} login password ${client.escapeLiteral(password)}`);
    } catch (err) {
      if (err?.code !== '42710') throw err; // created by someone else meanwhile: fine
    }
  } finally {
    await client.end().catch(() => {});
  }
  const u = new URL(ownerUrl);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Replace the database name (URL path) of a postgres:// URL. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Send a raw RESP `PING` to host:port. Resolves 'pong' when Redis answers +PONG, 'absent' when nothing
 * listens, otherwise the first reply line (e.g. "-NOAUTH Authentication required.").
 */
export function pingRedis(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    let reply = '';
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('absent'));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') ? 'pong' : reply.split('\r\n')[0]);
    });
    socket.on('error', () => done('absent'));
    socket.on('end', () => done(reply ? reply.trim() : 'absent'));
  });
}

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now (tiny race until the caller binds it; fine for dev). */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Any HTTP answer from `url` (any status) → the status code; no answer → null. */
export function httpStatus(url, timeoutMs = 2000, headers = {}) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/**
 * Poll `check` until it returns something truthy. Gives up (returns undefined) after `timeoutMs`
 * or as soon as `shouldStop()` says so, e.g. because the process being waited for has died.
 */
export async function waitFor(check, { timeoutMs, intervalMs = 250, shouldStop = () => false }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shouldStop()) {
    const result = await check();
    if (result) return result;
    await sleep(intervalMs);
  }
  return undefined;
}

/** Absolute path of an executable on PATH, or null. */
export async function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** A URL safe to print: any password is masked. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
