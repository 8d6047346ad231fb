import { type ApiErrorDetail, DingrelayApiError, DingrelayConnectionError, type DingrelayClient } from '@dingrelay/contracts/client';
import { commandWords, parseCommandArgs, refuseSecretFlags } from './args.js';
import { didYouMean } from './closest-match.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { createClient } from './connection.js';
import { CliFailure, ExitCode, exitCodeFor, UsageError } from './exit-codes.js';
import { commandHelp, groupHelp, mainHelp } from './help.js';
import { type CliIo, Output } from './output.js';
import { CLI_VERSION } from './version.js';

function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
}

const GROUPS = new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!));

/** Runs one invocation and resolves with its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const output = new Output(io, json);
  let command: Command | undefined;
  try {
    refuseSecretFlags(argv);
    const words = commandWords(argv, 2);
    command = findCommand(words);
    if (!command) return topLevel(argv, words, io);
    const { values, positionals } = parseCommandArgs(argv, command.options);
    if (values['help']) {
      io.stdout.write(commandHelp(command));
      return ExitCode.Ok;
    }
    if (values['version']) {
      io.stdout.write(`${CLI_VERSION}\n`);
      return ExitCode.Ok;
    }
    let client: DingrelayClient | undefined;
    const code = await command.run({
      values,
      args: positionals.slice(command.words.length),
      io,
      output,
      client: () => (client ??= createClient(values, io.env, output)),
    });
    return code ?? ExitCode.Ok;
  } catch (error) {
    reportError(error, output, io, command);
    return exitCodeFor(error);
  }
}

/** No command matched: --version, --help, a group's help, or a usage error naming what was not understood. */
function topLevel(argv: readonly string[], words: readonly string[], io: CliIo): number {
  if (words.length === 0 && argv.includes('--version')) {
    io.stdout.write(`${CLI_VERSION}\n`);
    return ExitCode.Ok;
  }
  const helpAsked = argv.includes('--help') || argv.includes('-h') || words[0] === 'help';
  if (words.length === 0 || helpAsked) {
    const forCommand = words[0] === 'help' ? findCommand(commandWords(argv, 3).slice(1)) : undefined;
    const group = words[0] === 'help' ? words[1] : words[0];
    const text = forCommand ? commandHelp(forCommand) : group && GROUPS.has(group) ? groupHelp(group, COMMANDS) : mainHelp(COMMANDS);
    // Asked for: on stdout, exit 0. No command at all: the same text as a usage error, on stderr.
    if (helpAsked) io.stdout.write(text);
    else io.stderr.write(text);
    return helpAsked ? ExitCode.Ok : ExitCode.Usage;
  }
  const [first, second] = words as [string, string | undefined];
  if (GROUPS.has(first)) {
    const members = COMMANDS.filter((c) => c.words[0] === first).map((c) => c.words[1]!);
    const problem = second ? `unknown ${first} command "${second}".${didYouMean(second, members, (member) => `${first} ${member}`)}` : `${first} needs a sub-command`;
    throw new UsageError(`${problem}\n\n${groupHelp(first, COMMANDS)}`);
  }
  throw new UsageError(`unknown command "${first}".${didYouMean(first, [...new Set(COMMANDS.map((c) => c.words[0]!)), 'help'])} Run dingrelay --help for the list`);
}

/** `command`: the command that was understood, whose own help a usage error points to. */
function reportError(error: unknown, output: Output, io: CliIo, command: Command | undefined): void {
  const exitCode = exitCodeFor(error);
  if (output.json) {
    io.stderr.write(`${JSON.stringify({ error: { ...describe(error), exitCode } })}\n`);
    return;
  }
  let text = `dingrelay: ${(error as Error)?.message ?? String(error)}`;
  if (error instanceof DingrelayApiError) {
    text = `dingrelay: ${error.message} (HTTP ${error.status} ${error.code}${error.requestId ? `, request ${error.requestId}` : ''})`;
    text += detailLines(error.details);
    if (error.status === 401) text += '\n  check the API key (--api-key-file, DINGRELAY_API_KEY): unknown, revoked or expired';
  }
  if (error instanceof UsageError) {
    text += `${detailLines(error.details)}\n  see: dingrelay ${command ? `${command.words.join(' ')} ` : ''}--help`;
  }
  if (exitCode === ExitCode.Unexpected && error instanceof Error && error.stack) text += `\n${error.stack}`;
  io.stderr.write(`${text}\n`);
}

/** One line per field at fault; the field is not repeated when the message already starts with it. */
function detailLines(details: readonly ApiErrorDetail[]): string {
  return details.map((d) => `\n  - ${d.message.startsWith(d.field) ? d.message : `${d.field}: ${d.message}`}`).join('');
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof DingrelayApiError || error instanceof DingrelayConnectionError) return error.toJSON();
  if (error instanceof UsageError) return { name: error.name, message: error.message, ...(error.details.length ? { details: error.details } : {}) };
  if (error instanceof CliFailure) return { name: error.name, message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}
