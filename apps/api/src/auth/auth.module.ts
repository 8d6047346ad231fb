import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ApiKeysModule,
  BootstrapAdminKeyUseCase,
  QUEUE_SETTINGS,
  type QueueSettings,
  REDIS_CONNECTION,
  RequestRateLimiter,
} from '@dingrelay/domain';
import type { Redis } from 'ioredis';
import { ApiKeysController } from '../api-keys/api-keys.controller.js';
import { DEFAULT_CONFIGURATION_NAME } from '../api-keys/default-configuration-name.js';
import { REQUEST_RATE_LIMITER } from './api-key.guard.js';
import { ApiKeyStillAllowed } from './api-key-still-allowed.js';

export interface AuthSettings {
  /** BOOTSTRAP_ADMIN_API_KEY: stored as the first admin key when there is no active admin key. */
  bootstrapAdminKey?: string;
  rateLimit: { perSecond: number; burst: number };
  /** The deployment's default chat configuration's name: a sender key may be scoped to it before its row exists. */
  defaultChatConfiguration: string;
}

const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/** After migrations (they run in onModuleInit), before the server takes requests. */
@Injectable()
class BootstrapAdminKeyOnStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly bootstrap: BootstrapAdminKeyUseCase,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.settings.bootstrapAdminKey;
    if (!key) return;
    const outcome = await this.bootstrap.execute(key);
    const which = `drk_${key.slice(4, 16)}_…`;
    if (outcome === 'created') this.logger.log(`stored BOOTSTRAP_ADMIN_API_KEY ${which} as the first admin key`);
    if (outcome === 'revoked') this.logger.warn(`BOOTSTRAP_ADMIN_API_KEY ${which} was revoked and stays so; create an admin key with npm run api-key:create`);
  }
}

/**
 * API keys over HTTP, the per-key rate limiter and the bootstrap admin key. The guard itself is registered by
 * AppModule (it needs the default chat configuration that SendsModule provides there).
 */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: AuthModule,
      imports: [ApiKeysModule],
      controllers: [ApiKeysController],
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        { provide: DEFAULT_CONFIGURATION_NAME, useValue: settings.defaultChatConfiguration },
        {
          provide: REQUEST_RATE_LIMITER,
          inject: [REDIS_CONNECTION, QUEUE_SETTINGS],
          useFactory: (redis: Redis, queue: QueueSettings) =>
            new RequestRateLimiter(redis, { keyPrefix: queue.prefix, ...settings.rateLimit }),
        },
        BootstrapAdminKeyOnStart,
        ApiKeyStillAllowed,
      ],
      exports: [ApiKeysModule, REQUEST_RATE_LIMITER, ApiKeyStillAllowed],
    };
  }
}
