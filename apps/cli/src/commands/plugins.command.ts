import type { PluginEntry, PluginsChangeResponse, SetPluginsRequest } from '@dingrelay/contracts/client';
import { jsonOption, positionalArgs, requiredOption } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { formatMap, formatTime } from '../format.js';
import { readTextInput } from '../read-input.js';
import { type Column, renderFields, renderTable } from '../table.js';

const PLUGIN_COLUMNS: Column<PluginEntry>[] = [
  { header: 'NAME', value: (p) => formatMap(p.name) },
  { header: 'ICON', value: (p) => p.icon },
  { header: 'PC URL', value: (p) => p.pcUrl, maxWidth: 50 },
  { header: 'MOBILE URL', value: (p) => p.mobileUrl, maxWidth: 50 },
];

function renderChange(change: PluginsChangeResponse): string {
  return (
    renderFields([
      ['configuration', change.chatConfiguration],
      ['robot code', change.robotCode],
      ['applied', `${change.applied.action} at ${formatTime(change.applied.appliedAt)} by ${change.applied.appliedBy}`],
    ]) +
    '\n' +
    renderTable(change.applied.plugins, PLUGIN_COLUMNS)
  );
}

export const pluginsGetCommand: Command = {
  words: ['plugins', 'get'],
  summary: "A robot's quick entries: as DingTalk reports them and as dingrelay last applied them",
  help: 'Usage: dingrelay plugins get <configuration>',
  options: {},
  async run({ args, output, client }) {
    const [name] = positionalArgs(args, ['configuration']);
    const plugins = await client().getPlugins(name!);
    output.result(plugins, () => {
      const applied = plugins.lastApplied;
      return (
        renderFields([
          ['configuration', plugins.chatConfiguration],
          ['robot code', plugins.robotCode],
          ['last applied', applied ? `${applied.action} at ${formatTime(applied.appliedAt)} by ${applied.appliedBy}` : 'never'],
        ]) +
        '\nIn DingTalk now:\n' +
        renderTable(plugins.dingtalk.plugins, PLUGIN_COLUMNS)
      );
    });
  },
};

export const pluginsSetCommand: Command = {
  words: ['plugins', 'set'],
  summary: "Replace a robot's quick entries",
  help: `Usage: dingrelay plugins set <configuration> --file <file|->

The file holds {"plugins": [...]} or just the array; each entry {"name": {"zh_CN": "…", "en_US": "…"},
"icon": "@mediaId", "pcUrl": "https://…", "mobileUrl": "https://…"}.`,
  options: { file: { type: 'string' } },
  async run({ values, args, io, output, client }) {
    const [name] = positionalArgs(args, ['configuration']);
    const file = requiredOption(values, 'file');
    const parsed = jsonOption(await readTextInput(file, io.stdin, 'plugins file'), file);
    const request = (Array.isArray(parsed) ? { plugins: parsed } : parsed) as SetPluginsRequest;
    if (request === null || typeof request !== 'object') throw new UsageError(`${file} must hold {"plugins": [...]} or an array`);
    const change = await client().setPlugins(name!, request);
    output.result(change, () => renderChange(change));
  },
};

export const pluginsClearCommand: Command = {
  words: ['plugins', 'clear'],
  summary: "Remove every quick entry of a robot",
  help: 'Usage: dingrelay plugins clear <configuration>',
  options: {},
  async run({ args, output, client }) {
    const [name] = positionalArgs(args, ['configuration']);
    const change = await client().clearPlugins(name!);
    output.result(change, () => renderChange(change));
  },
};
