import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@dingrelay/domain';

/** Tests share one database and isolate by data (each suite makes its own sends), never by truncating. */
export function testDatabaseUrl(): string {
  return process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/dingrelay_test';
}

const prepared = new Map<string, Promise<string>>();

/** Creates the test database if needed and applies migrations; safe to call from parallel suites. */
export function prepareTestDatabase(url = testDatabaseUrl()): Promise<string> {
  let ready = prepared.get(url);
  if (!ready) {
    ready = createDatabaseIfMissing(url).then(async () => {
      const dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2 })).initialize();
      try {
        await runMigrations(dataSource);
      } finally {
        await dataSource.destroy();
      }
      return url;
    });
    prepared.set(url, ready);
  }
  return ready;
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // Another suite created it between our check and our CREATE.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** A plain connection for assertions on rows; callers destroy it in afterAll. */
export async function openTestDataSource(url = testDatabaseUrl()): Promise<DataSource> {
  await prepareTestDatabase(url);
  return new DataSource(dataSourceOptions({ url, poolSize: 4, applicationName: 'dingrelay-test' })).initialize();
}
