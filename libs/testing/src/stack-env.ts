import { testRuntimeUrl } from './test-database.js';
import { testRedisUrl } from './test-redis.js';

/** A DingTalk app as the simulator is started with it and as dingrelay's DINGTALK_* variables name it. */
export interface TestDingTalkApp {
  appKey: string;
  appSecret: string;
  robotCode: string;
}

export interface StackEnvOptions {
  databaseUrl: string;
  /** Default: `testRedisUrl()`. */
  redisUrl?: string;
  /** The suite's own Bull prefix (`uniqueQueuePrefix`). */
  queuePrefix: string;
  /** Where DingTalk is: the suite's simulator. */
  dingTalkUrl: string;
  /** The app whose credentials become the default chat configuration. */
  app: TestDingTalkApp;
  /**
   * The default chat configuration's name. The first process to start creates it from `app`: a name of the suite's
   * own keeps it apart from other suites' in the shared database. Absent: the apps' default name.
   */
  configuration?: string;
}

/**
 * The configuration every dingrelay process of a test stack shares (API, worker, in-process or spawned): its
 * database, Redis and queue prefix, and DingTalk simulated with one app's credentials. Suites add their own settings.
 */
export function stackEnv(options: StackEnvOptions): Record<string, string> {
  return {
    // The runtime role's, also when a suite hands in the owner's URL it prepared the database with.
    DATABASE_URL: testRuntimeUrl(options.databaseUrl),
    REDIS_URL: options.redisUrl ?? testRedisUrl(),
    QUEUE_PREFIX: options.queuePrefix,
    DINGTALK_BASE_URL: options.dingTalkUrl,
    DINGTALK_APP_KEY: options.app.appKey,
    DINGTALK_APP_SECRET: options.app.appSecret,
    DINGTALK_ROBOT_CODE: options.app.robotCode,
    ...(options.configuration === undefined ? {} : { DEFAULT_CHAT_CONFIGURATION_NAME: options.configuration }),
  };
}
