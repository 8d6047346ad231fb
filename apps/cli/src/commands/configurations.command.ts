import {
  CHAT_CONFIGURATION_STATUSES,
  CHAT_CONFIGURATION_TYPES,
  type CreateChatConfigurationRequest,
  type UpdateChatConfigurationRequest,
} from '@dingrelay/contracts/client';
import { choiceOption, integerOption, jsonOption, listOption, numberOption, type OptionValues, positionalArgs, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { readTextInput } from '../read-input.js';
import { renderFields, renderTable } from '../table.js';
import { CONFIGURATION_COLUMNS, renderConfiguration } from '../views/configuration.view.js';

const FIELD_OPTIONS = {
  type: { type: 'string' },
  status: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-file': { type: 'string' },
  'robot-code': { type: 'string' },
  'template-id': { type: 'string' },
  'calls-per-second': { type: 'string' },
  'pace-utilization': { type: 'string' },
  'monthly-call-quota': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'body-file': { type: 'string' },
} as const;

const FIELDS_HELP = `  --type <DingTalk|WeChat>       (create: default DingTalk)
  --status <active|inactive>
  --client-id <id>               the DingTalk app's Client ID (AppKey)
  --client-secret-file <file|->  the app's Client Secret, from a file or stdin (never a flag: shell history)
  --robot-code <code>
  --template-id <id>
  --calls-per-second <n>         DingTalk's per-app limit (20 standard, 60 with the add-on)
  --pace-utilization <0.1-1>
  --monthly-call-quota <n>
  --tag <key=value>              repeatable; replaces the tags
  --body-file <file|->           the request as JSON (the API's body); the flags above override its fields`;

/** The request body: `--body-file` first, each flag given on top. Secrets only from a file or stdin. */
async function configurationBody(values: OptionValues, stdin: NodeJS.ReadableStream): Promise<UpdateChatConfigurationRequest> {
  const bodyFile = stringOption(values, 'body-file');
  const secretFile = stringOption(values, 'client-secret-file');
  if (bodyFile === '-' && secretFile === '-') throw new UsageError('only one of --body-file and --client-secret-file can read stdin');
  const body = (bodyFile ? jsonOption(await readTextInput(bodyFile, stdin, 'body file'), bodyFile) : {}) as UpdateChatConfigurationRequest;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new UsageError(`${bodyFile} must hold a JSON object`);
  const configuration = { ...(body.configuration ?? {}) };
  const set = <K extends keyof typeof configuration>(key: K, value: (typeof configuration)[K] | undefined) => {
    if (value !== undefined) configuration[key] = value;
  };
  set('clientId', stringOption(values, 'client-id'));
  if (secretFile) set('clientSecret', (await readTextInput(secretFile, stdin, 'client secret file')).trim());
  set('robotCode', stringOption(values, 'robot-code'));
  set('templateId', stringOption(values, 'template-id'));
  set('callsPerSecond', numberOption(values, 'calls-per-second', { min: 0.1, max: 1000 }));
  set('paceUtilization', numberOption(values, 'pace-utilization', { min: 0.1, max: 1 }));
  set('monthlyCallQuota', integerOption(values, 'monthly-call-quota', { min: 1, max: Number.MAX_SAFE_INTEGER }));
  const tags = listOption(values, 'tag');
  return {
    ...body,
    ...(choiceOption(values, 'type', CHAT_CONFIGURATION_TYPES) ? { type: choiceOption(values, 'type', CHAT_CONFIGURATION_TYPES) } : {}),
    ...(choiceOption(values, 'status', CHAT_CONFIGURATION_STATUSES) ? { status: choiceOption(values, 'status', CHAT_CONFIGURATION_STATUSES) } : {}),
    ...(tags.length > 0 ? { tags: Object.fromEntries(tags.map(parseTag)) } : {}),
    ...(Object.keys(configuration).length > 0 ? { configuration } : {}),
  };
}

function parseTag(tag: string): [string, string] {
  const eq = tag.indexOf('=');
  if (eq <= 0) throw new UsageError(`--tag must be key=value, got "${tag}"`);
  return [tag.slice(0, eq), tag.slice(eq + 1)];
}

export const configurationsListCommand: Command = {
  words: ['configurations', 'list'],
  summary: 'Chat configurations in name order (secrets masked)',
  help: `Usage: dingrelay configurations list [--name <prefix>] [--type <type>] [--status <status>] [--tag <key[=value]>] [paging]

Options:
  --name <prefix>   names starting with this
  --type <type>     ${CHAT_CONFIGURATION_TYPES.join(', ')}
  --status <status> ${CHAT_CONFIGURATION_STATUSES.join(', ')}
  --tag <key[=v]>   having this tag (and value)
${PAGE_OPTIONS_HELP}`,
  options: { name: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, tag: { type: 'string' }, ...PAGE_OPTIONS },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const filters = {
      name: stringOption(values, 'name'),
      type: choiceOption(values, 'type', CHAT_CONFIGURATION_TYPES),
      status: choiceOption(values, 'status', CHAT_CONFIGURATION_STATUSES),
      tag: stringOption(values, 'tag'),
    };
    // The API's configuration pages hold at most 100.
    const page = await fetchListing(values, output, (p) => client().listChatConfigurations({ ...filters, ...p, maxResults: Math.min(p.maxResults ?? 50, 100) }));
    output.result(page, () => renderTable(page.items, CONFIGURATION_COLUMNS));
  },
};

export const configurationsGetCommand: Command = {
  words: ['configurations', 'get'],
  summary: 'One chat configuration (secrets masked)',
  help: 'Usage: dingrelay configurations get <name>',
  options: {},
  async run({ args, output, client }) {
    const [name] = positionalArgs(args, ['name']);
    const configuration = await client().getChatConfiguration(name!);
    output.result(configuration, () => renderConfiguration(configuration));
  },
};

export const configurationsCreateCommand: Command = {
  words: ['configurations', 'create'],
  summary: 'Create a chat configuration (its AesKey and callback token are shown once)',
  help: `Usage: dingrelay configurations create <name> --client-id <id> --client-secret-file <file|-> --robot-code <code> [options]

Options:
${FIELDS_HELP}

Example:
  dingrelay configurations create hr-bot --client-id dingxxxx --client-secret-file ./hr-bot.secret --robot-code dingxxxx --tag team=hr`,
  options: FIELD_OPTIONS,
  async run({ values, args, io, output, client }) {
    const [name] = positionalArgs(args, ['name']);
    const body = await configurationBody(values, io.stdin);
    const request = { type: 'DingTalk', ...body, name: name! } as CreateChatConfigurationRequest;
    const created = await client().createChatConfiguration(request);
    output.result(created, () => renderConfiguration(created, true));
  },
};

export const configurationsUpdateCommand: Command = {
  words: ['configurations', 'update'],
  summary: 'Change the given fields of a chat configuration',
  help: `Usage: dingrelay configurations update <name> [options]

Only the fields given change; a new --client-secret-file replaces the stored secret.

Options:
${FIELDS_HELP}`,
  options: FIELD_OPTIONS,
  async run({ values, args, io, output, client }) {
    const [name] = positionalArgs(args, ['name']);
    const body = await configurationBody(values, io.stdin);
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one field option or --body-file');
    const updated = await client().updateChatConfiguration(name!, body);
    output.result(updated, () => renderConfiguration(updated));
  },
};

export const configurationsDeleteCommand: Command = {
  words: ['configurations', 'delete'],
  summary: 'Delete a chat configuration',
  help: 'Usage: dingrelay configurations delete <name>',
  options: {},
  async run({ args, output, client }) {
    const [name] = positionalArgs(args, ['name']);
    const result = await client().deleteChatConfiguration(name!);
    output.result(result, () => renderFields([['deleted', result.name]]));
  },
};
