import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';

/**
 * Everything a test process writes while capturing: stdout and stderr (Nest's ConsoleLogger) and console.* calls —
 * for scanning logs for secrets. Apps given to `attach` log at every level, so nothing is filtered away.
 */
export class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  private readonly consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  private readonly consoleOriginals = new Map<string, (...args: unknown[]) => void>();

  start(): this {
    const tap = (original: typeof process.stdout.write) =>
      ((chunk: unknown, ...rest: unknown[]) => {
        this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stdout.write;
    process.stdout.write = tap(this.originals.out);
    process.stderr.write = tap(this.originals.err);
    // Jest routes console.* through its own buffer rather than the streams: record those calls as well.
    for (const method of this.consoleMethods) {
      const original = console[method].bind(console) as (...args: unknown[]) => void;
      this.consoleOriginals.set(method, original);
      console[method] = (...args: unknown[]) => {
        this.chunks.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
        original(...args);
      };
    }
    return this;
  }

  /** Makes the app log everything, through Nest's console logger (and so through the captured streams). */
  attach(app: INestApplicationContext): void {
    app.useLogger(new ConsoleLogger({ logLevels: ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] }));
  }

  stop(): void {
    process.stdout.write = this.originals.out;
    process.stderr.write = this.originals.err;
    for (const [method, original] of this.consoleOriginals) console[method as (typeof this.consoleMethods)[number]] = original;
  }

  text(): string {
    return this.chunks.join('');
  }
}
