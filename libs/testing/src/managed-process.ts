import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

/** What a test needs of a child process it started: its output, its exit, and a way to end it for sure. */
export interface ManagedProcessOptions {
  /** Shown in error messages. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Also open an IPC channel (Node children), so a child can notice that the test process is gone. */
  ipc?: boolean;
  /** Lines of stdout + stderr kept for failure messages. */
  keepLines?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child started through this module and still running; killed if the test process exits without stopping them. */
const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.signal('SIGKILL');
  });
}

/**
 * A child process owned by a test: stdout and stderr are captured line by line (for `waitForLine` and for the tail
 * that failure messages quote), and `stop` always ends it, escalating to SIGKILL.
 */
export class ManagedProcess {
  readonly name: string;
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly keepLines: number;
  private readonly listeners = new Set<(line: string) => void>();
  private exit: ProcessExit | undefined;

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    this.keepLines = options.keepLines ?? 200;
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    };
    this.child = spawn(options.command, [...options.args], spawnOptions);
    live.add(this);
    installExitHook();
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        this.record(`[spawn error] ${error.message}`);
        this.exit ??= { code: null, signal: null };
        live.delete(this);
        resolve(this.exit);
      });
    });
    // The IPC channel must not keep the test process alive, and a child that exits closes it.
    if (options.ipc) this.child.channel?.unref();
    this.capture(this.child.stdout);
    this.capture(this.child.stderr);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Undefined while it runs. */
  get exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines it printed (stdout and stderr interleaved as received). */
  output(lines = 40): string {
    return this.lines.slice(-lines).join('\n');
  }

  /** Lines printed so far that match. */
  linesMatching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line));
  }

  /** Resolves with the first line (already printed or still to come) matching `pattern`; rejects if it exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(onLine);
      };
      const onLine = (line: string) => {
        if (!pattern.test(line)) return;
        cleanup();
        resolve(line);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} printed no line matching ${pattern} within ${timeoutMs} ms; its output:\n${this.output()}`));
      }, timeoutMs);
      this.listeners.add(onLine);
      void this.exited.then((exit) => {
        if (!this.listeners.has(onLine)) return;
        cleanup();
        reject(new Error(`${this.name} exited (${describeExit(exit)}) before printing ${pattern}; its output:\n${this.output()}`));
      });
    });
  }

  /** Sends a signal if it still runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** `kill -9` and wait until the OS has reaped it. */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Asks it to stop (`signal`), then SIGKILL after `graceMs`. Safe to call twice or after it exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.signal(signal);
    return this.exitWithin(graceMs);
  }

  /**
   * Waits for it to exit on its own (after a signal already sent, or a command that ends), then SIGKILL after `ms` so
   * a hang ends too: the exit then says `signal SIGKILL`.
   */
  async exitWithin(ms: number): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.signal('SIGKILL');
        resolve();
      }, ms);
    });
    await Promise.race([this.exited, forced]);
    clearTimeout(timer);
    return this.exited;
  }

  private capture(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.record(line);
    });
    stream.on('end', () => {
      if (partial) this.record(partial);
      partial = '';
    });
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keepLines) this.lines.splice(0, this.lines.length - this.keepLines);
    for (const listener of [...this.listeners]) listener(line);
  }
}

export function describeExit(exit: ProcessExit | undefined): string {
  if (!exit) return 'still running';
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
