// Child processes of the benchmark: the simulator, the API, workers and the SDK baseline. Every one is tracked so
// that a normal end, an error, Ctrl-C or SIGTERM stops all of them (SIGTERM, then SIGKILL to the whole group).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Preloaded into the apps: when the benchmark dies without stopping them (kill -9), the IPC channel closes and the
 * app stops itself instead of living on as an orphan holding a port and taking jobs.
 */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent(
  "if(process.channel){process.once('disconnect',()=>process.kill(process.pid,'SIGTERM'));process.channel.unref();}",
)}`;

/** Every child still running. */
const live = new Set();

/** Where children's output lines go (besides their own ring buffer); set by the caller, e.g. a log file. */
let sink = () => {};
export function setOutputSink(fn) {
  sink = fn;
}

export class Child {
  /**
   * @param {string} name shown in logs and errors
   * @param {string} command
   * @param {string[]} args
   * @param {{ cwd?: string, env?: Record<string,string>, node?: boolean }} options node: add the exit-with-parent
   *   preload and an IPC channel
   */
  constructor(name, command, args, { cwd, env, node = false } = {}) {
    this.name = name;
    this.lines = [];
    this.waiters = new Set();
    this.listeners = new Set();
    this.exit = undefined;
    const fullArgs = node ? ['--import', EXIT_WITH_PARENT, ...args] : args;
    this.child = spawn(command, fullArgs, {
      cwd,
      env,
      // Own process group: a terminal Ctrl-C reaches only the benchmark, which stops children in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(node ? ['ipc'] : [])],
    });
    if (node) this.child.channel?.unref();
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        for (const w of this.waiters) w.onExit();
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        this.record(`[spawn error] ${error.message}`);
        this.exit ??= { code: null, signal: null, error };
        live.delete(this);
        for (const w of this.waiters) w.onExit();
        resolve(this.exit);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.record(line));
    }
  }

  get pid() {
    return this.child.pid;
  }

  get running() {
    return this.exit === undefined;
  }

  record(line) {
    this.lines.push(line);
    if (this.lines.length > 300) this.lines.splice(0, this.lines.length - 200);
    sink(this.name, line);
    for (const w of this.waiters) w.onLine(line);
    for (const fn of this.listeners) fn(line);
  }

  /** Calls `fn` with every later line of output. */
  onLine(fn) {
    this.listeners.add(fn);
  }

  tail(n = 30) {
    return this.lines.slice(-n).join('\n');
  }

  /** Resolves the first match of `pattern` in the output (already printed or to come). */
  waitForLine(pattern, timeoutMs) {
    for (const line of this.lines) {
      const m = line.match(pattern);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        onLine: (line) => {
          const m = line.match(pattern);
          if (m) done(() => resolve(m));
        },
        onExit: () =>
          done(() => reject(new Error(`${this.name} exited (${describeExit(this.exit)}) before printing ${pattern}:\n${this.tail()}`))),
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs / 1000}s:\n${this.tail()}`))),
        timeoutMs,
      );
      const done = (settle) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        settle();
      };
      this.waiters.add(waiter);
      if (!this.running) waiter.onExit();
    });
  }

  signal(sig, wholeGroup = false) {
    if (!this.running || this.pid === undefined) return;
    try {
      process.kill(wholeGroup ? -this.pid : this.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGTERM (the apps close their pools and queues), then SIGKILL to the group after `timeoutMs`. */
  async stop(timeoutMs = 10_000) {
    if (!this.running) return this.exit;
    this.signal('SIGTERM');
    const inTime = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!inTime) {
      this.signal('SIGKILL', true);
      await this.exited;
    }
    return this.exit;
  }
}

export function describeExit(exit) {
  if (!exit) return 'running';
  if (exit.error) return `spawn error: ${exit.error.message}`;
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Stops every child still running, all at once. */
export async function stopAll(timeoutMs = 10_000) {
  await Promise.all([...live].map((c) => c.stop(timeoutMs)));
}

/** Last resort when the benchmark process itself exits abruptly: nothing survives it. */
export function killAllNow() {
  for (const c of live) c.signal('SIGKILL', true);
}

/** Runs a command to completion with inherited output, in our process group (a Ctrl-C reaches it too). */
export function runInherited(command, args, { cwd, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
