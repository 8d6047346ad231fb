import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  buildWorkerApp,
  deleteQueuePrefix,
  type ManagedProcess,
  prepareTestDatabase,
  REPO_ROOT,
  startWorkerProcess,
  testRedisUrl,
  uniqueQueuePrefix,
  waitFor,
  workerOpsUrl,
} from '@dingrelay/testing';
import { type ComposeService, readComposeServices } from './support/compose-file.js';
import { consoleDir } from '../src/console/mount-console.js';
import { startTestApi } from './support/test-api.js';

/**
 * docker/ can't be run here (no Docker engine; CI checks the compose file's syntax with `docker-compose config -q`).
 * This suite checks what that cannot: that the compose file and the Dockerfiles point at things that exist and will
 * be built, that containers get time to drain on SIGTERM, and that every health check asks a path the app answers
 * 200 on, by asking the real apps.
 */

const services = readComposeServices();
const APPS = ['api', 'worker', 'simulator'] as const;

function service(name: string): ComposeService {
  const found = services.get(name);
  if (!found) throw new Error(`docker/docker-compose.yml has no service ${name}`);
  return found;
}

/** The one `fetch('http://127.0.0.1:<port><path>')` health check of a service. */
function healthCheck(name: string): { port: number; path: string } {
  const checks = [...service(name).text.matchAll(/fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[^']*)'\)/g)];
  if (checks.length !== 1) throw new Error(`service ${name}: expected one fetch('http://127.0.0.1:<port>/<path>') health check, found ${checks.length}`);
  return { port: Number(checks[0]![1]), path: checks[0]![2]! };
}

function dockerfileOf(name: string): { path: string; text: string } {
  const path = service(name).value('dockerfile');
  if (!path) throw new Error(`service ${name} names no dockerfile`);
  // The build context is `..`: the repository root.
  expect({ service: name, context: service(name).value('context') }).toEqual({ service: name, context: '..' });
  const file = join(REPO_ROOT, path);
  if (!existsSync(file)) throw new Error(`service ${name}: ${path} does not exist`);
  return { path, text: readFileSync(file, 'utf8') };
}

describe('docker/docker-compose.yml and the Dockerfiles', () => {
  it('has the whole stack: postgres, redis, the simulator, the api and the worker', () => {
    expect([...services.keys()].sort()).toEqual(['api', 'postgres', 'redis', 'simulator', 'worker']);
  });

  it.each(APPS)('%s: its Dockerfile copies files that exist, apps the build compiles, and starts entry points that exist', (name) => {
    const dockerfile = dockerfileOf(name);
    const missing: string[] = [];
    const buildReferences = readFileSync(join(REPO_ROOT, 'tsconfig.build.json'), 'utf8');

    // COPY from the build context (not --from a stage): every source must be in the repository.
    for (const [, sources] of dockerfile.text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(/\s+/)) if (!existsSync(join(REPO_ROOT, source))) missing.push(`COPY source ${source}`);
    }
    // Projects the runtime stage copies out of the build stage must be built by `npm run build`.
    const copiedApps = [...dockerfile.text.matchAll(/^COPY --from=build \/src\/apps\/([\w-]+) /gm)].map((m) => m[1]!);
    expect(copiedApps.length).toBeGreaterThan(0);
    for (const app of copiedApps) {
      if (!buildReferences.includes(`"apps/${app}/tsconfig.build.json"`)) missing.push(`apps/${app} in tsconfig.build.json's references`);
    }
    // Every compiled file the image runs or loads (CMD, the CLI wrapper, the module check) has its source.
    const compiled = [...dockerfile.text.matchAll(/apps\/([\w-]+)\/dist\/([\w/.-]+)\.js/g)];
    expect(compiled.length).toBeGreaterThan(0);
    for (const [, app, file] of compiled) {
      if (!copiedApps.includes(app!)) missing.push(`apps/${app}/dist/${file}.js is used but apps/${app} is not copied`);
      if (!existsSync(join(REPO_ROOT, 'apps', app!, 'src', `${file}.ts`))) missing.push(`apps/${app}/src/${file}.ts`);
    }
    expect({ dockerfile: dockerfile.path, missing }).toEqual({ dockerfile: dockerfile.path, missing: [] });
    // Runs as the unprivileged user, in production mode, stopped with the signal the apps drain on.
    expect(dockerfile.text).toMatch(/^USER node$/m);
    expect(dockerfile.text).toMatch(/^ENV NODE_ENV=production$/m);
    expect(dockerfile.text).toMatch(/^STOPSIGNAL SIGTERM$/m);
  });

  it('puts the CLI into the api image (`docker exec <api> dingrelay …`)', () => {
    const api = dockerfileOf('api').text;
    expect(api).toMatch(/^COPY --from=build \/src\/apps\/cli apps\/cli$/m);
    expect(api).toContain('/usr/local/bin/dingrelay');
    expect(api).toContain('exec node /app/apps/cli/dist/main.js');
    // The workspace's bin is a committed shim (npm links only bins that exist at install) loading that same entry.
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/cli/package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(cli.bin)).toEqual(['dingrelay']);
    expect(readFileSync(join(REPO_ROOT, 'apps/cli', cli.bin['dingrelay']!), 'utf8')).toContain("new URL('../dist/main.js', import.meta.url)");
  });

  it('puts the built console into the api image where the API looks for it by default', () => {
    const api = dockerfileOf('api').text;
    expect(api).toMatch(/^COPY --from=build \/src\/apps\/console\/dist apps\/console\/dist$/m);
    // The image's build fails without the console's files rather than its /console answering 503.
    expect(api).toContain('test -f apps/console/dist/index.html');
    // The same relative place as in the repository: apps/api/dist/console/ → apps/console/dist.
    expect(consoleDir(undefined)).toBe(join(REPO_ROOT, 'apps/console/dist'));
    // The console's packages (React, antd, …) are build-time only: none may land in the runtime's `npm ci --omit=dev`.
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/console/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => !name.startsWith('@dingrelay/'))).toEqual([]);
  });

  it.each(['api', 'worker'])('%s: gets longer to stop than its SIGTERM drain may take, through an init', (name) => {
    const s = service(name);
    const grace = /^(\d+)s$/.exec(s.value('stop_grace_period') ?? '');
    const drainMs = Number(s.value('SHUTDOWN_TIMEOUT_MS'));
    expect({ name, grace: s.value('stop_grace_period'), drainMs }).toEqual({ name, grace: expect.stringMatching(/^\d+s$/), drainMs: expect.any(Number) });
    // A margin for closing connections after the drain, before Docker's SIGKILL.
    expect(Number(grace![1]) * 1000).toBeGreaterThanOrEqual(drainMs + 5_000);
    expect(s.value('init')).toBe('true');
    expect(s.value('LOG_FORMAT')).toBe('json');
  });

  it('commits no encryption key: SECRET_ENCRYPTION_KEYS has no default', () => {
    expect(service('api').text).toContain('SECRET_ENCRYPTION_KEYS: ${SECRET_ENCRYPTION_KEYS:-}');
    expect(service('api').value('SECRET_ENCRYPTION_KEYS')).toBe('');
    expect(service('worker').value('SECRET_ENCRYPTION_KEYS')).toBe('');
  });

  it('checks each app on the port it listens on; the worker listens beyond its container, published nowhere', () => {
    expect(healthCheck('api').port).toBe(Number(service('api').value('API_PORT')));
    expect(healthCheck('worker').port).toBe(Number(service('worker').value('WORKER_HTTP_PORT')));
    expect(healthCheck('simulator').port).toBe(Number(service('simulator').value('SIM_PORT')));
    expect(service('worker').value('WORKER_HTTP_HOST')).toBe('0.0.0.0');
    expect(service('worker').text).not.toMatch(/^\s+ports:/m);
  });

  describe('health checks ask what the apps answer', () => {
    const prefix = uniqueQueuePrefix('api-docker');
    let api: INestApplication;
    let apiUrl: string;
    let worker: ManagedProcess;
    let simulator: DingTalkSimulator;

    beforeAll(async () => {
      // One at a time, each assigned as it starts, so afterAll stops whatever did start when a later step fails.
      simulator = await startDingTalkSimulator();
      await buildWorkerApp();
      api = await startTestApi({ queuePrefix: prefix, robotCode: 'robot' });
      await api.listen(0, '127.0.0.1');
      apiUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
      worker = await startWorkerProcess({
        name: 'docker-compose worker',
        env: { DATABASE_URL: await prepareTestDatabase(), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, DINGTALK_BASE_URL: simulator.url },
      });
    }, 180_000);

    afterAll(async () => {
      await worker?.stop();
      await api?.close();
      await simulator?.close();
      await deleteQueuePrefix(prefix);
    }, 60_000);

    /** The status once the app is up: right after start a dependency client may still be connecting (503). */
    async function statusOnceUp(url: string): Promise<number> {
      const probe = () => fetch(url, { signal: AbortSignal.timeout(15_000) }).then((r) => r.status);
      return waitFor(probe, (status) => status !== 503, { timeoutMs: 30_000, intervalMs: 200, description: `${url} to answer other than 503` });
    }

    it.each(APPS)('%s', async (name) => {
      const base = { api: () => apiUrl, worker: () => workerOpsUrl(worker), simulator: () => simulator.url }[name]();
      expect(await statusOnceUp(`${base}${healthCheck(name).path}`)).toBe(200);
    });
  });
});
