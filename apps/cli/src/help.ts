import { GLOBAL_OPTIONS_HELP } from './args.js';
import type { Command } from './command.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

export function mainHelp(commands: readonly Command[]): string {
  const names = commands.map((c) => c.words.join(' '));
  const width = Math.max(...names.map((n) => n.length));
  return `dingrelay: command line for a dingrelay gateway (DingTalk robot one-to-one messages)

Usage: dingrelay <command> [arguments] [options]

Commands:
${commands.map((c, i) => `  ${names[i]!.padEnd(width)}  ${c.summary}`).join('\n')}

${GLOBAL_OPTIONS_HELP}

${EXIT_CODES_HELP}

Run "dingrelay <command> --help" for a command's options.
`;
}

export function commandHelp(command: Command): string {
  return `dingrelay ${command.words.join(' ')}: ${command.summary}\n\n${command.help}\n\n${GLOBAL_OPTIONS_HELP}\n\n${EXIT_CODES_HELP}\n`;
}

/** `dingrelay history` alone: the sub-commands of a group. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((c) => c.words[0] === group);
  return `Usage: dingrelay ${group} <${members.map((c) => c.words[1]).join('|')}> [options]\n\n${members
    .map((c) => `  ${c.words.join(' ').padEnd(26)}  ${c.summary}`)
    .join('\n')}\n`;
}
