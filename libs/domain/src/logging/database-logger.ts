import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** Long statements (the settlement's CTEs) are cut here: enough to tell which one failed. */
const STATEMENT_CHARS = 240;

/**
 * TypeORM's own output (failed queries, its warnings, migrations) through the app's logger, so it is JSON with the
 * request context and redacted like every other line. TypeORM's console logger wrote ANSI-coloured text outside the
 * log format, with every query parameter — message contents, user ids, key hashes — appended; this logs the
 * statement, one line, and never its parameters.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {
    // Every query would be far too much; failed and slow ones are logged below.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(`query failed: ${typeof error === 'string' ? error : error.message} (${statementOf(query)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${statementOf(query)}`);
  }

  logSchemaBuild(): void {
    // dingrelay never lets TypeORM build the schema (migrations only).
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

/** The statement on one line, shortened: parameters are never part of it (`$1`…), only placeholders. */
export function statementOf(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > STATEMENT_CHARS ? `${oneLine.slice(0, STATEMENT_CHARS - 1)}…` : oneLine;
}
