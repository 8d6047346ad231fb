import { type DynamicModule, Inject, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { dataSourceOptions, type DatabaseSettings } from './data-source.options.js';
import { runMigrations } from './run-migrations.js';

const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

export interface DatabaseModuleOptions extends DatabaseSettings {
  /** Apply pending migrations before the app starts serving (api and worker both do; the lock serialises them). */
  migrate: boolean;
}

@Injectable()
class MigrateOnStart implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.settings.migrate) return;
    const applied = await runMigrations(this.dataSource);
    if (applied.length > 0) this.logger.log(`applied ${applied.join(', ')}`);
  }
}

/**
 * The Postgres connection for one process, with the schema brought up to date at start-up. Global, and re-exports
 * the audit trail and send timeline: whatever writes to the database can record in the same transaction.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(options), retryAttempts: 0 }), AuditModule],
      providers: [{ provide: DATABASE_SETTINGS, useValue: options }, MigrateOnStart],
      exports: [AuditModule],
    };
  }
}
