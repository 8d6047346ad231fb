// Child processes for tools/dev/start.mjs: spawn with name-prefixed output, stop with SIGTERM then SIGKILL.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const palette = [36, 35, 33, 32, 34, 31]; // cyan, magenta, yellow, green, blue, red
const colors = new Map();
const WIDTH = 8;

function label(name) {
  const text = name.padEnd(WIDTH).slice(0, WIDTH);
  if (!useColor) return `${text} |`;
  if (!colors.has(name)) colors.set(name, palette[colors.size % palette.length]);
  return `\x1b[${colors.get(name)}m${text} |\x1b[0m`;
}

/** Print one line under `name`, the way children's lines are printed. */
export function say(name, line, stream = process.stdout) {
  stream.write(`${label(name)} ${line}\n`);
}

function pipeLines(from, name, to) {
  if (!from) return;
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => say(name, line, to));
}

/**
 * Start a long-running service. Each one gets its own process group (`detached`) so a terminal Ctrl-C
 * reaches only the supervisor, which then stops services in dependency order (apps before the databases
 * they are still using). An IPC channel lets Node children notice when the supervisor is gone.
 *
 * Returns { name, child, exited: Promise<{code, signal}>, running(), stop(timeoutMs) }.
 */
export function startService(name, command, args, { env, cwd, ipc = false } = {}) {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  pipeLines(child.stdout, name, process.stdout);
  pipeLines(child.stderr, name, process.stderr);

  let done = false;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    // spawn failures (e.g. ENOENT) emit 'error' and possibly no 'exit'
    child.once('error', (err) => {
      done = true;
      say(name, `failed to start: ${err.message}`, process.stderr);
      resolve({ code: null, signal: null, error: err });
    });
  });

  return {
    name,
    child,
    exited,
    running: () => !done,
    async stop(timeoutMs = 10_000) {
      if (done) return;
      signalGroup(child, 'SIGTERM', false);
      const inTime = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
      if (!inTime) {
        say(name, `did not stop within ${timeoutMs / 1000}s; sending SIGKILL`, process.stderr);
        signalGroup(child, 'SIGKILL', true);
        await exited;
      }
    },
  };
}

/**
 * Signal a service. SIGTERM goes to the process itself (it decides how to wind down its own children,
 * e.g. the embedded-Postgres helper stops Postgres); SIGKILL goes to the whole group so nothing survives.
 */
export function signalGroup(child, signal, wholeGroup) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(wholeGroup ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
}

/** Commands run to completion that are still running, so a shutdown can interrupt them. */
export const oneShots = new Set();

/**
 * Run a command to completion with inherited output (same process group: a Ctrl-C reaches it directly);
 * resolves its exit code.
 */
export function runToCompletion(command, args, { env, cwd } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    oneShots.add(child);
    child.once('error', (err) => {
      oneShots.delete(child);
      say('start', `could not run ${command}: ${err.message}`, process.stderr);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      oneShots.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
