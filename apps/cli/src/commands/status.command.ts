import { positionalArgs } from '../args.js';
import type { Command } from '../command.js';
import { progressReporter } from '../progress-bar.js';
import { checkWaitOutcome, WAIT_OPTIONS, WAIT_OPTIONS_HELP, waitSettings, watchSend } from '../send-watch.js';
import { renderSendStatus } from '../views/send.view.js';

export const statusCommand: Command = {
  words: ['status'],
  summary: "A send's status and its recipients counted per status",
  help: `Usage: dingrelay status <sendId> [--wait [--interval <seconds>] [--wait-timeout <seconds>]]

Options:
${WAIT_OPTIONS_HELP}`,
  options: { ...WAIT_OPTIONS },
  async run({ values, args, io, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const wait = waitSettings(values);
    const status = values['wait'] ? await watchSend(client(), id!, progressReporter(io.stderr, { silent: output.json }), wait) : await client().getSend(id!);
    output.result(status, () => renderSendStatus(status));
    if (values['wait']) checkWaitOutcome(status);
  },
};
