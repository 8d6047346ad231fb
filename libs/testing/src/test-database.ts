import { createHash } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { databaseOfUrl, dataSourceOptions, runMigrations, urlWithRole } from '@dingrelay/domain';

/**
 * Tests share one database and isolate by data (each suite makes its own sends), never by truncating. This URL is
 * the schema owner's (a superuser on the test machines): it migrates, and test code asserting on rows connects as it.
 * The apps under test connect as the database's runtime role (`prepareTestDatabase`'s answer), as in production.
 */
export function testDatabaseUrl(): string {
  return process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/dingrelay_test';
}

/**
 * The runtime role of a test database: one per database, since roles are shared by every database of the cluster
 * (and by other people's test runs on it). Long names are shortened with a hash to fit Postgres' 63 bytes.
 */
export function testRuntimeRole(database: string): string {
  const role = `${database}_rt`;
  return role.length <= 63 ? role : `${database.slice(0, 46)}_${createHash('sha256').update(database).digest('hex').slice(0, 12)}_rt`;
}

/** Runtime URL → the owner URL it was made from, and back (owner URLs without their password). */
const owners = new Map<string, string>();
const runtimes = new Map<string, string>();
const prepared = new Map<string, Promise<string>>();

/** The owner's URL for a test database, given its owner or runtime URL. */
export function testOwnerUrl(url: string): string {
  return owners.get(url) ?? url;
}

/**
 * The URL the apps under test get for a test database: its runtime role's, when `url` is the owner's URL of a database
 * `prepareTestDatabase` prepared (a password in it is kept: tests that check it is never logged set one); any other
 * URL as it is. The test stack (stackEnv, the app processes, the in-process apps) passes DATABASE_URL through this,
 * so a suite that prepared its database with the owner's URL still runs the apps as the runtime role.
 */
export function testRuntimeUrl(url: string): string {
  const runtime = runtimes.get(withoutPassword(url));
  if (!runtime) return url;
  const password = new URL(url).password;
  return password ? urlWithRole(runtime, new URL(runtime).username, decodeURIComponent(password)) : runtime;
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Creates the test database and its runtime role if needed, applies migrations as the owner (granting the runtime
 * role its privileges) and resolves with the runtime role's URL: what the apps under test get as DATABASE_URL, so
 * every suite that runs them proves they work with least privilege. Safe to call from parallel suites.
 */
export function prepareTestDatabase(url = testDatabaseUrl()): Promise<string> {
  const ownerUrl = testOwnerUrl(url);
  let ready = prepared.get(ownerUrl);
  if (!ready) {
    ready = (async () => {
      const role = testRuntimeRole(databaseOfUrl(ownerUrl));
      await createDatabaseAndRoleIfMissing(ownerUrl, role);
      const dataSource = await new DataSource(dataSourceOptions({ url: ownerUrl, poolSize: 2 })).initialize();
      try {
        await runMigrations(dataSource, { runtimeRole: role });
      } finally {
        await dataSource.destroy();
      }
      const runtimeUrl = urlWithRole(ownerUrl, role);
      owners.set(runtimeUrl, ownerUrl);
      runtimes.set(withoutPassword(ownerUrl), runtimeUrl);
      return runtimeUrl;
    })();
    prepared.set(ownerUrl, ready);
    ready.catch(() => prepared.delete(ownerUrl));
  }
  return ready;
}

async function withMaintenanceClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Errors of a CREATE that another suite's identical CREATE won. */
const CREATED_CONCURRENTLY = new Set(['42P04' /* duplicate_database */, '42710' /* duplicate_object */, '23505' /* unique_violation */]);

async function createDatabaseAndRoleIfMissing(url: string, role: string): Promise<void> {
  const name = databaseOfUrl(url);
  await withMaintenanceClient(url, async (client) => {
    const ignoreRace = (error: { code?: string }) => {
      if (!CREATED_CONCURRENTLY.has(error.code ?? '')) throw error;
    };
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch(ignoreRace);
    // No password: the test machines trust local connections. In production the operator creates it with one.
    const roles = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (roles.rowCount === 0) await client.query(`CREATE ROLE ${client.escapeIdentifier(role)} LOGIN`).catch(ignoreRace);
  });
}

/**
 * Drops a test database a suite made for itself, and its runtime role (given the owner or runtime URL). The role
 * goes only once the database is gone: its grants live there.
 */
export async function dropTestDatabase(url: string): Promise<void> {
  const ownerUrl = testOwnerUrl(url);
  const name = databaseOfUrl(ownerUrl);
  await withMaintenanceClient(ownerUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(testRuntimeRole(name))}`);
  });
  prepared.delete(ownerUrl);
  runtimes.delete(withoutPassword(ownerUrl));
}

/** A plain connection, as the owner, for assertions on rows; callers destroy it in afterAll. */
export async function openTestDataSource(url = testDatabaseUrl()): Promise<DataSource> {
  await prepareTestDatabase(url);
  return new DataSource(dataSourceOptions({ url: testOwnerUrl(url), poolSize: 4, applicationName: 'dingrelay-test' })).initialize();
}
