import type { DingrelayClient } from '@dingrelay/contracts/client';
import type { OptionSpecs, OptionValues } from './args.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo, Output } from './output.js';

export interface CommandContext {
  values: OptionValues;
  /** Positionals after the command word(s). */
  args: string[];
  io: CliIo;
  output: Output;
  /** Built on first use, so `--help` and usage errors never need a key. */
  client(): DingrelayClient;
}

/** One CLI command (or one sub-command such as `history sends`). */
export interface Command {
  /** The words that select it, e.g. `['history', 'sends']`. */
  words: readonly string[];
  summary: string;
  /** Usage and options, shown by `--help` after the summary. */
  help: string;
  options: OptionSpecs;
  run(ctx: CommandContext): Promise<ExitCode | void>;
}
