import { type CreateSendRequest, DELIVERY_POLICIES, type MsgKey, type MsgParamOf, validateMsgParam } from '@dingrelay/contracts/client';
import { choiceOption, jsonOption, listOption, positionalArgs, requiredOption, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { progressReporter } from '../progress-bar.js';
import { parseUserIdList, readTextInput } from '../read-input.js';
import { checkWaitOutcome, WAIT_OPTIONS, WAIT_OPTIONS_HELP, waitSettings, watchSend } from '../send-watch.js';
import { renderCreatedSend, renderSendStatus } from '../views/send.view.js';

export const sendCommand: Command = {
  words: ['send'],
  summary: 'Send a message to users (optionally wait for delivery with a progress bar)',
  help: `Usage: dingrelay send --msg-key <key> --msg-param <json> (--user <id>… | --users-file <file|->) [options]

Options:
  --user <id[,id…]>          recipient userId(s); repeatable
  --users-file <file|->      recipients from a file or stdin (-): one per line, or a JSON array
  --msg-key <key>            message template, e.g. sampleText, sampleMarkdown
  --msg-param <json>         the template's fields as a JSON object, e.g. '{"content":"hello"}'
  --msg-param-file <file|->  the same, read from a file or stdin
  --configuration <name>     chat configuration to send through (default: the server's default)
  --idempotency-key <key>    retry-safe: the same key and body return the first send instead of sending again
  --delivery-policy <p>      at-least-once (default) or at-most-once
  --skip-local-check         leave the message check to dingrelay alone (a server newer than this CLI may know
                             msgKeys or fields this CLI's catalog does not)
${WAIT_OPTIONS_HELP}

The message is checked against this CLI's msgKey catalog before anything is sent: an unknown msgKey or a msgParam
that does not fit it exits 2 naming the field (dingrelay checks it again and has the last word).
--json prints the API's answer; with --wait, {"send": <answer>, "status": <final status>} (with --wait-timeout, the
status when it ran out).

Example:
  dingrelay send --user user-1,user-2 --msg-key sampleText --msg-param '{"content":"Deploy done"}' --wait`,
  options: {
    user: { type: 'string', multiple: true },
    'users-file': { type: 'string' },
    'msg-key': { type: 'string' },
    'msg-param': { type: 'string' },
    'msg-param-file': { type: 'string' },
    configuration: { type: 'string' },
    'idempotency-key': { type: 'string' },
    'delivery-policy': { type: 'string' },
    'skip-local-check': { type: 'boolean' },
    ...WAIT_OPTIONS,
  },
  async run({ values, args, io, output, client }) {
    positionalArgs(args, []);
    const request = await buildRequest(values, io.stdin);
    const idempotencyKey = stringOption(values, 'idempotency-key');
    const wait = waitSettings(values);
    const created = await client().createSend(request, { idempotencyKey });
    if (!values['wait']) {
      output.result(created, () => renderCreatedSend(created));
      return;
    }
    output.note(`send ${created.id} accepted: ${created.recipients.accepted} recipients in ${created.batches} batches; waiting for delivery…`);
    const status = await watchSend(client(), created.id, progressReporter(io.stderr, { silent: output.json }), wait);
    output.result({ send: created, status }, () => renderSendStatus(status));
    checkWaitOutcome(status);
  },
};

async function buildRequest(values: Parameters<Command['run']>[0]['values'], stdin: NodeJS.ReadableStream): Promise<CreateSendRequest> {
  const usersFile = stringOption(values, 'users-file');
  const paramFile = stringOption(values, 'msg-param-file');
  if (usersFile === '-' && paramFile === '-') throw new UsageError('only one of --users-file and --msg-param-file can read stdin');
  const userIds = [...listOption(values, 'user'), ...(usersFile ? parseUserIdList(await readTextInput(usersFile, stdin, 'users file'), usersFile) : [])];
  if (userIds.length === 0) throw new UsageError('no recipients: give --user <id> or --users-file <file|->');
  const msgKey = requiredOption(values, 'msg-key');
  const paramText = paramFile ? await readTextInput(paramFile, stdin, 'msgParam file') : stringOption(values, 'msg-param');
  if (paramText === undefined) throw new UsageError('--msg-param <json> (or --msg-param-file) is required');
  if (stringOption(values, 'msg-param') !== undefined && paramFile) throw new UsageError('give --msg-param or --msg-param-file, not both');
  const msgParam = jsonOption(paramText, '--msg-param');
  // The contracts' catalog rules, the ones the API applies: a message it would refuse costs no request.
  const problems = values['skip-local-check'] ? [] : validateMsgParam(msgKey, msgParam);
  if (problems.length > 0) {
    throw new UsageError('invalid message (checked against the msgKey catalog before sending; nothing was sent)', problems);
  }
  return {
    userIds,
    msgKey: msgKey as MsgKey,
    msgParam: msgParam as MsgParamOf<MsgKey>,
    deliveryPolicy: choiceOption(values, 'delivery-policy', DELIVERY_POLICIES),
    chatConfiguration: stringOption(values, 'configuration'),
  };
}
