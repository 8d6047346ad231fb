import { DingrelayClient } from '@dingrelay/contracts/client';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  type ApiProcess,
  buildApiApp,
  buildConsole,
  buildWorkerApp,
  deleteQueuePrefix,
  issueApiKey,
  type ManagedProcess,
  prepareTestDatabase,
  stackEnv,
  startApiProcess,
  startWorkerProcess,
  uniqueQueuePrefix,
} from '@dingrelay/testing';
import { type Browser, chromium } from 'playwright-core';

export type Role = 'admin' | 'auditor' | 'sender';

/** The simulator's users: `staff-<n>`; anyone else is an invalid recipient. */
const USERS = '^staff-\\d+$';

export interface ConsoleStackOptions {
  /** Names the suite's queue prefix, configuration and keys, so suites sharing the database stay apart. */
  suite: string;
  /** Added to the worker's environment (pace, concurrency, retries). */
  workerEnv?: Record<string, string>;
}

export interface IssuedKey {
  role: Role;
  /** The name the console's header shows. */
  name: string;
  key: string;
}

/**
 * What a person using the console has: dingrelay running as production runs it (the built API serving the built
 * console, the built worker, each its own process), DingTalk simulated in this process so its ledger can be read,
 * a key of every role (the admin's from the operator's command, the others made by that admin through the API),
 * and Debian's Chromium. Data is made through the API (`client`), as any other client would.
 */
export class ConsoleStack {
  private constructor(
    readonly suite: string,
    readonly sim: DingTalkSimulator,
    readonly api: ApiProcess,
    readonly worker: ManagedProcess,
    readonly browser: Browser,
    readonly prefix: string,
    /** The suite's own chat configuration (the worker creates it at start from the simulator's app). */
    readonly configuration: string,
    readonly app: { appKey: string; appSecret: string; robotCode: string },
    readonly databaseUrl: string,
    /** admin and auditor keys, and a sender key scoped to `configuration`. */
    readonly keys: Readonly<Record<Role, IssuedKey>>,
  ) {}

  static async start(options: ConsoleStackOptions): Promise<ConsoleStack> {
    const databaseUrl = await prepareTestDatabase();
    const prefix = uniqueQueuePrefix(`console-e2e-${options.suite}`);
    const suffix = prefix.slice(-8);
    const configuration = `console-${options.suite}-${suffix}`;
    const app = { appKey: `console-app-${suffix}`, appSecret: `console-secret-${suffix}`, robotCode: `console-robot-${suffix}` };
    // One build after another: on two cores, parallel builds only slow each other down.
    await buildApiApp();
    await buildWorkerApp();
    const consoleDir = await buildConsole();
    const sim = await startDingTalkSimulator({ apps: [app], users: { pattern: USERS } });
    const env = {
      ...stackEnv({ databaseUrl, queuePrefix: prefix, dingTalkUrl: sim.url, app, configuration }),
      DATABASE_POOL_SIZE: '4',
    };
    let worker: ManagedProcess | undefined;
    let api: ApiProcess | undefined;
    let browser: Browser | undefined;
    try {
      // The worker first: it creates the suite's configuration from the DINGTALK_* variables at its first start.
      worker = await startWorkerProcess({
        name: `console-e2e ${options.suite} worker`,
        env: { ...env, WORKER_CONCURRENCY: '4', RETRY_BASE_DELAY_MS: '200', ...options.workerEnv },
      });
      const name = (role: Role) => `console-${options.suite}-${role}-${suffix}`;
      // The API, the admin key and the browser need only the database: started together, they mostly wait on I/O.
      const starting = {
        api: startApiProcess({ name: `console-e2e ${options.suite} api`, env: { ...env, CONSOLE_DIR: consoleDir } }),
        browser: chromium.launch({
          executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
        }),
        // The operator's command for the first admin key; the others an admin makes through the API, as in use.
        admin: issueApiKey({ databaseUrl, role: 'admin', name: name('admin') }),
      };
      const [startedApi, startedBrowser, adminKey] = await Promise.allSettled([starting.api, starting.browser, starting.admin]);
      if (startedApi.status === 'fulfilled') api = startedApi.value;
      if (startedBrowser.status === 'fulfilled') browser = startedBrowser.value;
      for (const started of [startedApi, startedBrowser, adminKey]) if (started.status === 'rejected') throw started.reason;
      const admin: IssuedKey = { role: 'admin', name: name('admin'), key: (adminKey as PromiseFulfilledResult<string>).value };
      const byAdmin = new DingrelayClient({ baseUrl: api!.url, apiKey: admin.key, userAgent: 'dingrelay-console-e2e' });
      const [auditor, sender] = await Promise.all(
        (['auditor', 'sender'] as const).map(async (role): Promise<IssuedKey> => {
          const chatConfigurations = role === 'sender' ? [configuration] : undefined;
          const created = await byAdmin.createApiKey({ name: name(role), role, chatConfigurations });
          return { role, name: created.name, key: created.key };
        }),
      );
      return new ConsoleStack(options.suite, sim, api!, worker, browser!, prefix, configuration, app, databaseUrl, {
        admin: admin!,
        auditor: auditor!,
        sender: sender!,
      });
    } catch (error) {
      await browser?.close();
      await api?.stop();
      await worker?.stop();
      await sim.close();
      await deleteQueuePrefix(prefix);
      throw error;
    }
  }

  /** e.g. `http://127.0.0.1:41234/console/sends` for `/sends`. */
  consoleUrl(path = '/'): string {
    return `${this.api.url}/console${path}`;
  }

  /** The API as a Node client with a role's key (or any key). */
  client(who: Role | string = 'admin'): DingrelayClient {
    const apiKey = who === 'admin' || who === 'auditor' || who === 'sender' ? this.keys[who].key : who;
    return new DingrelayClient({ baseUrl: this.api.url, apiKey, userAgent: 'dingrelay-console-e2e' });
  }

  /** `count` simulator users, `staff-<first>` onwards. */
  users(count: number, first = 1): string[] {
    return Array.from({ length: count }, (_, i) => `staff-${first + i}`);
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.api?.stop();
    await this.worker?.stop();
    await this.sim?.close();
    await deleteQueuePrefix(this.prefix);
  }
}
