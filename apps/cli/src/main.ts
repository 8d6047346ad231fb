#!/usr/bin/env node
import { runCli } from './cli.js';

// `dingrelay export sends | head`: the reader leaving early is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Ctrl-C while a progress bar is drawn: end its line so the shell prompt starts on a fresh one.
process.once('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.exit(130);
});

// Ending through exitCode (not process.exit) lets stdout drain when it is a pipe.
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dingrelay: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
