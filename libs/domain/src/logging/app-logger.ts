import { inspect } from 'node:util';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { redactSecrets, redactText } from './redact-secrets.js';
import { currentRequestContext } from './request-context.js';

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_LEVEL values, least to most verbose; each includes the ones before it (and `fatal`, always on). */
export const LOG_LEVEL_NAMES = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

export interface AppLoggerOptions {
  format: LogFormat;
  level: LogLevelName;
}

/** The Nest levels a LOG_LEVEL enables. */
export function logLevelsFor(level: LogLevelName): LogLevel[] {
  return ['fatal', ...LOG_LEVEL_NAMES.slice(0, LOG_LEVEL_NAMES.indexOf(level) + 1)];
}

/**
 * The logger of every dingrelay process, installed as Nest's logger so that every `new Logger(context)` in the code
 * goes through it. Whatever the format, each message, field and stack is passed through `redactSecrets` first, and
 * the current request or job context (request id, key prefix, job, batch, send) is added to the line.
 *
 * `json`: one JSON object per line, every level on **stdout** (one stream keeps lines in order; `level` tells them
 * apart): `{"time","level","context","message", <request context>, <fields>, "pid", "error"?/"stack"?}`. A plain
 * object logged as the message contributes its fields, its `message` becoming the line's message.
 * `text`: Nest's usual coloured console lines (errors on stderr), for a developer's terminal.
 */
export class AppLogger extends ConsoleLogger {
  private readonly format: LogFormat;

  constructor(options: AppLoggerOptions) {
    super({ logLevels: logLevelsFor(options.level), colors: options.format === 'text' ? undefined : false });
    this.format = options.format;
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    const request = currentRequestContext();
    if (this.format === 'text') {
      // `{ message, ...fields }` reads as its message followed by its fields, as in JSON.
      let own: Record<string, unknown> = {};
      const texts = messages.map((m) => {
        const resolved = this.resolveMessage(m);
        if (!isPlainObject(resolved) || typeof resolved.message !== 'string') return resolved;
        const { message, ...rest } = resolved;
        own = { ...own, ...rest };
        return message;
      });
      const merged = { ...request, ...params, ...own };
      const fields = Object.keys(merged).length > 0 ? (redactSecrets(merged) as Record<string, unknown>) : undefined;
      const safe = texts.map((m) => redactSecrets(m));
      super.printMessages(safe, context, logLevel, writeStreamType, typeof errorStack === 'string' ? redactText(errorStack) : errorStack, fields);
      return;
    }
    // An error passed after the message (`logger.error('…', error)`) belongs to that line, not a line of its own.
    const resolved = messages.map((m) => this.resolveMessage(m));
    const errorAt = resolved.findIndex((m, i) => i > 0 && m instanceof Error);
    const attached = errorAt > 0 ? resolved.splice(errorAt, 1)[0] : undefined;
    resolved.forEach((message, i) => {
      const line = this.jsonLine(message, context, logLevel, errorStack, request, params, i === 0 ? attached : undefined);
      process.stdout.write(`${line}\n`);
    });
  }

  protected override printStackTrace(stack: string | undefined): void {
    // In JSON the stack is a field of its line.
    if (this.format === 'json' || typeof stack !== 'string') return;
    super.printStackTrace(redactText(stack));
  }

  private jsonLine(
    message: unknown,
    context: string,
    level: LogLevel,
    stack: unknown,
    request: Readonly<Record<string, unknown>> | undefined,
    params: Record<string, unknown> | undefined,
    attachedError: unknown,
  ): string {
    let text: string;
    let fields: Record<string, unknown> = {};
    let error: unknown = attachedError;
    if (typeof message === 'string') {
      text = message;
    } else if (message instanceof Error) {
      text = message.message;
      error = message;
    } else if (isPlainObject(message)) {
      const { message: inner, ...rest } = message;
      text = typeof inner === 'string' ? inner : '';
      fields = rest;
    } else {
      text = inspect(message, { depth: 4, breakLength: Infinity });
    }
    // Framework fields first and never overwritten by a field of the message.
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      ...(context ? { context } : {}),
      message: redactText(text),
    };
    const extra = redactSecrets({ ...request, ...params, ...fields }) as Record<string, unknown>;
    for (const [key, value] of Object.entries(extra)) if (!(key in record) && value !== undefined) record[key] = value;
    record.pid = process.pid;
    if (error !== undefined) record.error = redactSecrets(error);
    if (typeof stack === 'string' && stack) record.stack = redactText(stack);
    try {
      return JSON.stringify(record);
    } catch {
      return JSON.stringify({ time: record.time, level, context, message: record.message, pid: process.pid });
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Reads LOG_FORMAT and LOG_LEVEL as validated by the app's config (see InfrastructureConfig). */
export function createAppLogger(config: { LOG_FORMAT: LogFormat; LOG_LEVEL: LogLevelName }): AppLogger {
  return new AppLogger({ format: config.LOG_FORMAT, level: config.LOG_LEVEL });
}
