import { writeFile } from 'node:fs/promises';
import { API_KEY_ROLES, type ApiKeyResponse, type CreatedApiKeyResponse } from '@dingrelay/contracts/client';
import { choiceOption, listOption, positionalArgs, requiredOption, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { formatTime } from '../format.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { type Column, renderFields, renderTable } from '../table.js';

const KEY_COLUMNS: Column<ApiKeyResponse>[] = [
  { header: 'ID', value: (k) => k.id },
  { header: 'NAME', value: (k) => k.name },
  { header: 'ROLE', value: (k) => k.role },
  { header: 'PREFIX', value: (k) => k.prefix },
  { header: 'SCOPE', value: (k) => k.chatConfigurations?.join(',') ?? 'all', maxWidth: 30 },
  { header: 'CREATED', value: (k) => formatTime(k.createdAt) },
  { header: 'EXPIRES', value: (k) => formatTime(k.expiresAt) },
  { header: 'REVOKED', value: (k) => formatTime(k.revokedAt) },
  { header: 'LAST USED', value: (k) => formatTime(k.lastUsedAt) },
];

function keyFields(k: ApiKeyResponse): [string, string | null][] {
  return [
    ['id', k.id],
    ['name', k.name],
    ['role', k.role],
    ['prefix', k.prefix],
    ['scope', k.chatConfigurations?.join(', ') ?? 'every configuration'],
    ['created', `${formatTime(k.createdAt)} by ${k.createdBy}`],
    ['expires', formatTime(k.expiresAt)],
    ['revoked', formatTime(k.revokedAt)],
    ['last used', formatTime(k.lastUsedAt)],
  ];
}

export const keysListCommand: Command = {
  words: ['keys', 'list'],
  summary: 'API keys, oldest first (never their secrets)',
  help: `Usage: dingrelay keys list [paging]

Options:
${PAGE_OPTIONS_HELP}`,
  options: { ...PAGE_OPTIONS },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const page = await fetchListing(values, output, (p) => client().listApiKeys(p));
    output.result(page, () => renderTable(page.items, KEY_COLUMNS));
  },
};

export const keysGetCommand: Command = {
  words: ['keys', 'get'],
  summary: 'One API key (never its secret)',
  help: 'Usage: dingrelay keys get <id>',
  options: {},
  async run({ args, output, client }) {
    const [id] = positionalArgs(args, ['id']);
    const key = await client().getApiKey(id!);
    output.result(key, () => renderFields(keyFields(key)));
  },
};

export const keysCreateCommand: Command = {
  words: ['keys', 'create'],
  summary: 'Issue an API key; the key is shown once (or written to --output)',
  help: `Usage: dingrelay keys create --name <name> --role <${API_KEY_ROLES.join('|')}> [--chat-configurations <a,b>] [--expires-at <time>] [--output <file>]

Options:
  --name <name>                   who or what uses the key
  --role <role>                   ${API_KEY_ROLES.join(', ')}
  --chat-configurations <a,b>     senders only (required for them): the configurations the key may use
  --expires-at <time>             ISO-8601 with offset; never expires when omitted
  --output <file>                 write the key to this file (mode 600) instead of printing it

The key is in this command's output only: dingrelay stores its hash and never shows it again.`,
  options: { name: { type: 'string' }, role: { type: 'string' }, 'chat-configurations': { type: 'string', multiple: true }, 'expires-at': { type: 'string' }, output: { type: 'string' } },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const role = choiceOption(values, 'role', API_KEY_ROLES);
    if (!role) throw new UsageError('--role is required');
    const scope = listOption(values, 'chat-configurations');
    const created: CreatedApiKeyResponse = await client().createApiKey({
      name: requiredOption(values, 'name'),
      role,
      ...(scope.length > 0 ? { chatConfigurations: scope } : {}),
      ...(stringOption(values, 'expires-at') ? { expiresAt: stringOption(values, 'expires-at') } : {}),
    });
    const file = stringOption(values, 'output');
    if (file) {
      await writeFile(file, `${created.key}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`key ${created.id} was created but could not be written to ${file} (${error.code ?? error.message}); revoke it with: dingrelay keys revoke ${created.id}`);
      });
      const { key: _key, ...described } = created;
      output.result({ ...described, keyFile: file }, () => renderFields([...keyFields(created), ['key', `written to ${file}`]]));
      return;
    }
    output.result(created, () => renderFields([...keyFields(created), ['key', created.key]]) + '\nThe key is shown this once; store it now.\n');
  },
};

export const keysRevokeCommand: Command = {
  words: ['keys', 'revoke'],
  summary: 'Revoke an API key at once',
  help: 'Usage: dingrelay keys revoke <id>',
  options: {},
  async run({ args, output, client }) {
    const [id] = positionalArgs(args, ['id']);
    const key = await client().revokeApiKey(id!);
    output.result(key, () => renderFields(keyFields(key)));
  },
};
