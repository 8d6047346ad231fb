import { Logger } from '@nestjs/common';
import { captureStdio as captured } from '@dingrelay/testing';
import { generateApiKey } from '../api-keys/api-key-secret.js';
import { AppLogger, logLevelsFor } from './app-logger.js';
import { REDACTED } from './redact-secrets.js';
import { runInRequestContext } from './request-context.js';

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe('AppLogger (json)', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('writes one JSON object per line on stdout, with time, level, context, message and pid', async () => {
    const logger = new AppLogger({ format: 'json', level: 'verbose' });
    const { out, err } = await captured(() => {
      logger.log('hello', 'Ctx');
      logger.warn('careful', 'Ctx');
      logger.error('broken', 'Error: broken\n    at x (file.js:1:1)', 'Ctx');
      logger.debug('details', 'Ctx');
      logger.verbose('more', 'Ctx');
    });
    expect(err).toEqual([]);
    expect(out.map(parse).map((l) => [l.level, l.context, l.message])).toEqual([
      ['log', 'Ctx', 'hello'],
      ['warn', 'Ctx', 'careful'],
      ['error', 'Ctx', 'broken'],
      ['debug', 'Ctx', 'details'],
      ['verbose', 'Ctx', 'more'],
    ]);
    const first = parse(out[0]!);
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(first.pid).toBe(process.pid);
    expect(parse(out[2]!).stack).toContain('at x (file.js:1:1)');
  });

  it('honours the level: log drops debug and verbose', async () => {
    const logger = new AppLogger({ format: 'json', level: 'log' });
    const { out } = await captured(() => {
      logger.debug('no', 'Ctx');
      logger.verbose('no', 'Ctx');
      logger.log('yes', 'Ctx');
    });
    expect(out.map(parse).map((l) => l.message)).toEqual(['yes']);
    expect(logLevelsFor('warn')).toEqual(['fatal', 'error', 'warn']);
  });

  it('adds the request context, including to lines logged through Nest Logger instances', async () => {
    const logger = new AppLogger({ format: 'json', level: 'log' });
    Logger.overrideLogger(logger);
    const { out } = await captured(() =>
      runInRequestContext({ requestId: 'req-1', keyPrefix: 'abc123abc123' }, async () => {
        await Promise.resolve();
        new Logger('Inner').log('inside');
        await runInRequestContext({ jobId: 'j-1' }, async () => new Logger('Job').warn('nested'));
      }),
    );
    expect(out.map(parse)).toEqual([
      expect.objectContaining({ context: 'Inner', message: 'inside', requestId: 'req-1', keyPrefix: 'abc123abc123' }),
      expect.objectContaining({ context: 'Job', message: 'nested', requestId: 'req-1', jobId: 'j-1' }),
    ]);
  });

  it('redacts the message, fields, errors and stacks', async () => {
    const logger = new AppLogger({ format: 'json', level: 'log' });
    const { key, prefix } = generateApiKey();
    const error = new Error(`auth failed for ${key}`);
    const { out } = await captured(() => {
      logger.log({ message: `key ${key}`, appSecret: 'very-secret-1', route: '/v1/sends' }, 'Http');
      logger.error(error, 'Ctx');
      logger.error('wrapped', error.stack, 'Ctx');
    });
    const text = out.join('\n');
    expect(text).not.toContain(key.slice(-43));
    expect(text).not.toContain('very-secret-1');
    const [fields, asError, withStack] = out.map(parse);
    expect(fields).toEqual(expect.objectContaining({ message: `key drk_${prefix}_${REDACTED}`, appSecret: REDACTED, route: '/v1/sends' }));
    expect(asError!.message).toBe(`auth failed for drk_${prefix}_${REDACTED}`);
    expect((asError!.error as Record<string, unknown>).stack).toContain(`drk_${prefix}_${REDACTED}`);
    expect(withStack!.stack).toContain(`drk_${prefix}_${REDACTED}`);
  });

  it('attaches an error passed after the message to the same line', async () => {
    const logger = new AppLogger({ format: 'json', level: 'log' });
    const { out } = await captured(() => logger.warn('retrying', new Error('boom'), 'Ctx'));
    expect(out).toHaveLength(1);
    expect(parse(out[0]!)).toEqual(expect.objectContaining({ message: 'retrying', error: expect.objectContaining({ message: 'boom' }) }));
  });
});

describe('AppLogger (text)', () => {
  it('prints Nest console lines, redacted, with the request id', async () => {
    const logger = new AppLogger({ format: 'text', level: 'log' });
    const { key, prefix } = generateApiKey();
    const { out } = await captured(() => runInRequestContext({ requestId: 'req-9' }, () => logger.log(`using ${key}`, 'Ctx')));
    expect(out.join('\n')).toContain(`using drk_${prefix}_${REDACTED}`);
    expect(out.join('\n')).toContain('req-9');
    expect(out.join('\n')).not.toContain(key);
  });

  it('prints an object message as its message followed by its fields', async () => {
    const logger = new AppLogger({ format: 'text', level: 'log' });
    const { out } = await captured(() => logger.log({ message: 'GET /v1/sends 200 3 ms', status: 200, token: 'tok-123456' }, 'Http'));
    // eslint-disable-next-line no-control-regex -- colours, when the terminal has them
    const line = out.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
    expect(line).toContain('GET /v1/sends 200 3 ms');
    expect(line).toContain('status: 200');
    expect(line).not.toContain('tok-123456');
    expect(line).not.toContain('Object(');
  });
});
