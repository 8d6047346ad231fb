import { readFileSync } from 'node:fs';
import type {
  AuditChainVerification,
  ApiKeyListResponse,
  AuditEventPage,
  ChatConfigurationResponse,
  CreatedApiKeyResponse,
  CreatedSend,
  HistoryPage,
  InboundMessagePage,
  ListChatConfigurationsResponse,
  ListRecipientsResponse,
  PluginsChangeResponse,
  PluginsResponse,
  RecallSendResponse,
  RecipientHistoryItem,
  RefreshReadStatusResponse,
  SendEventPage,
  SendHistoryItem,
  SendStatusResponse,
  UsageResponse,
} from '@dingrelay/contracts';
import { freePort, parseCsv, pushSignedRobotMessage, waitFor } from '@dingrelay/testing';
import { APP, CliStack, parseJson, parseJsonError } from './support/cli-stack.js';

const WAIT = ['--wait', '--interval', '0.2'];
/** Each test runs several CLI processes and may wait for deliveries: generous on a loaded two-core machine. */
const TEST_TIMEOUT_MS = 90_000;

describe('dingrelay CLI against a running stack', () => {
  let stack: CliStack;
  let delivered: CreatedSend;

  beforeAll(async () => {
    stack = await CliStack.start();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('prints its version and help without a key or a server', async () => {
    const version = await stack.run(['--version'], { env: { DINGRELAY_API_KEY_FILE: undefined } });
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = await stack.run(['history', 'sends', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: dingrelay history sends/);
    expect(help.stdout).toMatch(/--idempotency-key/);
    expect(help.stdout).toMatch(/6 {2}the send finished but not every recipient was delivered/);
    const bare = await stack.run([]);
    expect(bare).toMatchObject({ code: 2, stdout: '' });
    expect(bare.stderr).toMatch(/^Commands:$/m);
  }, TEST_TIMEOUT_MS);

  it('suggests the nearest command, sub-command or flag for a typo (exit 2, nothing asked of dingrelay)', async () => {
    const offline = { env: { DINGRELAY_URL: `http://127.0.0.1:${await freePort()}` } };
    const command = await stack.run(['histroy', 'sends'], offline);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^dingrelay: unknown command "histroy"\. Did you mean `history`\?/m);
    const sub = await stack.run(['history', 'sned'], offline);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown history command "sned"\. Did you mean `history sends`\?/);
    const flag = await stack.run(['history', 'sends', '--staus', 'completed', '--json'], offline);
    expect(flag.code).toBe(2);
    expect(parseJsonError(flag).error).toMatchObject({ name: 'UsageError', message: "Unknown option '--staus'. Did you mean `--status`?" });
    const far = await stack.run(['frobnicate'], offline);
    expect(far.stderr).not.toMatch(/Did you mean/);
  }, TEST_TIMEOUT_MS);

  it('sends and waits: the summary JSON counts every recipient delivered, and DingTalk got each once', async () => {
    const users = stack.file('users.txt', '# team\nstaff-1\nstaff-2\n\nstaff-3,staff-2\n');
    const run = await stack.run([
      'send',
      '--users-file',
      users,
      '--msg-key',
      'sampleText',
      '--msg-param',
      '{"content":"cli e2e"}',
      '--idempotency-key',
      `cli-e2e-${stack.prefix.slice(-8)}`,
      '--json',
      ...WAIT,
    ]);
    expect(run.code).toBe(0);
    const result = parseJson<{ send: CreatedSend; status: SendStatusResponse }>(run);
    delivered = result.send;
    expect(result.send.recipients).toEqual({ accepted: 3, duplicatesRemoved: 1 });
    expect(result.status).toMatchObject({ id: delivered.id, status: 'completed' });
    expect(result.status.recipients).toMatchObject({ total: 3, delivered: 3, pending: 0, invalid: 0 });
    for (const user of ['staff-1', 'staff-2', 'staff-3']) expect(stack.sim.ledger.countFor(user)).toBe(1);
    // Not a terminal: no bar, and --json keeps stderr free of progress lines.
    expect(run.stderr).toBe('');
  }, TEST_TIMEOUT_MS);

  it('draws a progress bar while waiting at a terminal, then the summary', async () => {
    const run = await stack.runInTerminal(['send', '--user', 'staff-11,staff-12', '--msg-key', 'sampleText', '--msg-param', '{"content":"tty"}', ...WAIT]);
    expect(run.code).toBe(0);
    // Redrawn in place (carriage return, erase line); the last frame is the finished send.
    // eslint-disable-next-line no-control-regex -- the escape sequence is what is being checked
    expect(run.stdout).toMatch(/\r\x1b\[2K\[█{24}\] 100% {2}2\/2 {2}delivered 2/);
    expect(run.stdout).toMatch(/^status +completed\r?$/m);
    expect(run.stdout).toMatch(/^delivered +2\r?$/m);
  }, TEST_TIMEOUT_MS);

  it('replays a send with the same Idempotency-Key instead of sending again', async () => {
    // The same body as the first send (its file listed staff-1, staff-2, staff-3, staff-2), msgParam from stdin.
    const run = await stack.run(
      ['send', '--user', 'staff-1,staff-2', '--user', 'staff-3,staff-2', '--msg-key', 'sampleText', '--msg-param-file', '-', '--idempotency-key', `cli-e2e-${stack.prefix.slice(-8)}`, '--json'],
      { stdin: '{"content":"cli e2e"}' },
    );
    expect(run.code).toBe(0);
    expect(parseJson<CreatedSend>(run)).toMatchObject({ id: delivered.id, replayed: true });
    expect(stack.sim.ledger.countFor('staff-1')).toBe(1);
  }, TEST_TIMEOUT_MS);

  it('shows the status as JSON and as a readable table', async () => {
    const json = await stack.run(['status', delivered.id, '--json']);
    expect(json.code).toBe(0);
    expect(parseJson<SendStatusResponse>(json)).toMatchObject({ id: delivered.id, status: 'completed', recipients: { total: 3, delivered: 3 } });

    const text = await stack.run(['status', delivered.id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^send +${delivered.id}$`, 'm'));
    expect(text.stdout).toMatch(/^status +completed$/m);
    expect(text.stdout).toMatch(/^RECIPIENTS +COUNT$/m);
    expect(text.stdout).toMatch(/^delivered +3$/m);
    expect(text.stdout).toMatch(/^total +3$/m);
  }, TEST_TIMEOUT_MS);

  it("lists a send's recipients", async () => {
    const run = await stack.run(['recipients', delivered.id, '--json', '--max-results', '2', '--all']);
    expect(run.code).toBe(0);
    const page = parseJson<ListRecipientsResponse>(run);
    expect(page.nextToken).toBeNull();
    expect(page.items.map((r) => [r.userId, r.status]).sort()).toEqual([
      ['staff-1', 'delivered'],
      ['staff-2', 'delivered'],
      ['staff-3', 'delivered'],
    ]);
  }, TEST_TIMEOUT_MS);

  it('exits 6 when a waited-for send leaves recipients undelivered, and prints the final status first', async () => {
    const run = await stack.run(['send', '--user', 'staff-7', '--user', 'nobody-1', '--msg-key', 'sampleText', '--msg-param', '{"content":"x"}', '--json', ...WAIT]);
    expect(run.code).toBe(6);
    const result = parseJson<{ send: CreatedSend; status: SendStatusResponse }>(run);
    expect(result.status.recipients).toMatchObject({ total: 2, delivered: 1, invalid: 1 });
    expect(parseJsonError(run).error).toMatchObject({ name: 'CliFailure', exitCode: 6 });

    const status = await stack.run(['status', result.send.id, '--wait', '--interval', '0.2']);
    expect(status.code).toBe(6);
    expect(status.stderr).toMatch(/1 of 2 recipients delivered/);
  }, TEST_TIMEOUT_MS);

  it("shows a send's timeline, refuses to cancel a completed send (exit 3) and recalls it", async () => {
    const events = await stack.run(['events', delivered.id, '--all', '--json']);
    expect(events.code).toBe(0);
    const types = parseJson<SendEventPage>(events).items.map((e) => e.type);
    expect(types[0]).toBe('accepted');
    expect(types).toEqual(expect.arrayContaining(['batch.attempt', 'send.completed']));

    const cancel = await stack.run(['cancel', delivered.id, '--json']);
    expect(cancel.code).toBe(3);
    expect(parseJsonError(cancel).error).toMatchObject({ status: 409, code: 'CONFLICT' });

    const recall = await stack.run(['recall', delivered.id, '--json']);
    expect(recall.code).toBe(0);
    expect(parseJson<RecallSendResponse>(recall)).toMatchObject({ id: delivered.id, replayed: false, batchesToRecall: 1 });
    const recalled = await waitFor(
      async () => parseJson<SendStatusResponse>(await stack.run(['status', delivered.id, '--json'])),
      (s) => s.recall?.completedAt != null,
      { timeoutMs: 60_000, intervalMs: 500, description: 'the worker to recall the send' },
    );
    expect(recalled.recall).toMatchObject({ recalled: 3, failed: 0, pending: 0 });
  }, TEST_TIMEOUT_MS);

  it("sets, reads and clears the robot's quick entries in DingTalk", async () => {
    const plugins = stack.file('plugins.json', JSON.stringify([{ name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://hr.example.com/leave' }]));
    const set = await stack.run(['plugins', 'set', stack.configuration, '--file', plugins, '--json']);
    expect(set.code).toBe(0);
    expect(parseJson<PluginsChangeResponse>(set)).toMatchObject({ chatConfiguration: stack.configuration, robotCode: APP.robotCode, applied: { action: 'set' } });
    const get = await stack.run(['plugins', 'get', stack.configuration]);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^zh_CN=请假, en_US=Leave +@lALPDtXaDkO3j7hgYA +https:\/\/hr\.example\.com\/leave +-$/m);
    const clear = await stack.run(['plugins', 'clear', stack.configuration, '--json']);
    expect(parseJson<PluginsChangeResponse>(clear).applied).toMatchObject({ action: 'clear', plugins: [] });
    expect(parseJson<PluginsResponse>(await stack.run(['plugins', 'get', stack.configuration, '--json'])).dingtalk.plugins).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('lists history with filters, following every page with --all', async () => {
    const one = await stack.run(['history', 'sends', '--configuration', stack.configuration, '--max-results', '1', '--json']);
    expect(one.code).toBe(0);
    const first = parseJson<HistoryPage<SendHistoryItem>>(one);
    expect(first.items).toHaveLength(1);
    expect(first.nextToken).toEqual(expect.any(String));

    const all = await stack.run(['history', 'sends', '--configuration', stack.configuration, '--max-results', '1', '--all', '--json']);
    const page = parseJson<HistoryPage<SendHistoryItem>>(all);
    expect(page.nextToken).toBeNull();
    expect(page.items).toHaveLength(3);
    expect(page.items.find((s) => s.id === delivered.id)).toMatchObject({ status: 'completed', recipientCount: 3, chatConfiguration: stack.configuration });

    const user = await stack.run(['history', 'recipients', '--user', 'staff-2', '--configuration', stack.configuration, '--json']);
    expect(parseJson<HistoryPage<RecipientHistoryItem>>(user).items).toEqual([expect.objectContaining({ sendId: delivered.id, userId: 'staff-2', status: 'delivered' })]);

    const table = await stack.run(['history', 'sends', '--configuration', stack.configuration, '--status', 'completed']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CREATED +SEND +CONFIGURATION +MSG KEY +STATUS +RECIPIENTS +REQUESTED BY$/);
    expect(table.stdout).toContain(delivered.id);
  }, TEST_TIMEOUT_MS);

  it('exports CSV to a file (header and the matching rows) and NDJSON to stdout', async () => {
    const file = stack.path('sends.csv');
    const run = await stack.run(['export', 'sends', '--configuration', stack.configuration, '--format', 'csv', '--output', file, '--json']);
    expect(run.code).toBe(0);
    expect(parseJson(run)).toMatchObject({ format: 'csv', file, rows: 3 });
    const [header, ...records] = parseCsv(readFileSync(file, 'utf8'));
    expect(header).toEqual(expect.arrayContaining(['id', 'status', 'chatConfiguration', 'recipientCount']));
    const rows = records.map((cells) => Object.fromEntries(cells.map((v, i) => [header![i], v])));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r['id'] === delivered.id)).toMatchObject({ status: 'completed', recipientCount: '3', chatConfiguration: stack.configuration });

    const ndjson = await stack.run(['export', 'recipients', '--configuration', stack.configuration, '--user', 'staff-1', '--format', 'ndjson']);
    expect(ndjson.code).toBe(0);
    const items = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as RecipientHistoryItem);
    expect(items).toEqual([expect.objectContaining({ sendId: delivered.id, userId: 'staff-1', status: 'delivered' })]);

    const noOutput = await stack.run(['export', 'sends', '--json']);
    expect(noOutput.code).toBe(2);
  }, TEST_TIMEOUT_MS);

  it('creates, lists and gets a configuration with its secret masked; the callback secrets shown only on create', async () => {
    const name = `cli-conf-${stack.prefix.slice(-8)}`;
    const secret = 'cli-client-secret-do-not-print';
    const secretFile = stack.file('client.secret', `${secret}\n`);
    const created = await stack.run([
      'configurations', 'create', name, '--client-id', 'cli-other-app', '--client-secret-file', secretFile, '--robot-code', 'cli-other-robot',
      '--tag', 'team=ops', '--calls-per-second', '20', '--json',
    ]);
    expect(created.code).toBe(0);
    const body = parseJson<ChatConfigurationResponse>(created);
    expect(body).toMatchObject({ name, type: 'DingTalk', status: 'active', tags: { team: 'ops' } });
    expect(body.configuration).toMatchObject({ clientId: 'cli-other-app', clientSecret: '******', robotCode: 'cli-other-robot', callsPerSecond: 20 });
    expect(body.outputs.aesKey).not.toBe('******');

    const list = await stack.run(['configurations', 'list', '--name', name, '--json']);
    const listed = parseJson<ListChatConfigurationsResponse>(list);
    expect(listed.items).toEqual([expect.objectContaining({ name, configuration: expect.objectContaining({ clientSecret: '******' }) })]);
    const get = await stack.run(['configurations', 'get', name, '--json']);
    expect(parseJson<ChatConfigurationResponse>(get).outputs).toMatchObject({ aesKey: '******', callbackToken: '******' });
    const table = await stack.run(['configurations', 'list', '--name', name]);
    expect(table.stdout).toMatch(new RegExp(`^${name} +DingTalk +active +cli-other-app +\\*{6} +cli-other-robot +20 +team=ops$`, 'm'));
    for (const run of [created, list, get, table]) expect(run.stdout + run.stderr).not.toContain(secret);

    const updated = await stack.run(['configurations', 'update', name, '--status', 'inactive', '--json']);
    expect(parseJson<ChatConfigurationResponse>(updated)).toMatchObject({ name, status: 'inactive' });
    const deleted = await stack.run(['configurations', 'delete', name, '--json']);
    expect(parseJson(deleted)).toEqual({ name, deleted: true });
    expect((await stack.run(['configurations', 'get', name, '--json'])).code).toBe(3);
  }, TEST_TIMEOUT_MS);

  it('audit verify: an intact chain exits 0; held to a digest it no longer matches, exits 8 naming the position', async () => {
    const ok = await stack.run(['audit', 'verify', '--json']);
    expect(ok.code).toBe(0);
    const result = parseJson<AuditChainVerification>(ok);
    expect(result).toMatchObject({ intact: true, firstBroken: null, head: { position: expect.any(Number) } });
    const head = result.head!;
    expect((await stack.run(['audit', 'verify'])).stdout).toMatch(/^intact: \d+ events checked/);

    // A digest file as the worker appends it: the last line counts.
    const line = (hash: string) => JSON.stringify({ type: 'dingrelay.audit-digest', version: 1, count: head.position, hash, at: new Date().toISOString(), signature: 'a'.repeat(64) });
    const matching = await stack.run(['audit', 'verify', '--digest', stack.file('good.ndjson', `${line('0'.repeat(64))}\n${line(head.hash)}\n`)]);
    expect(matching.code).toBe(0);
    expect(matching.stdout).toContain(`digest: ${head.position} events, hash ${head.hash}, signature unchecked`);

    const rewritten = await stack.run(['audit', 'verify', '--digest', stack.file('bad.ndjson', `${line('f'.repeat(64))}\n`)]);
    expect(rewritten.code).toBe(8);
    expect(rewritten.stdout).toContain(`BROKEN at position ${head.position}`);
    expect(rewritten.stdout).toContain(`expected hash ${'f'.repeat(64)}`);
    expect(rewritten.stderr).toContain('the audit chain is broken');

    expect((await stack.run(['audit', 'verify', '--digest', stack.file('empty.ndjson', '\n')])).code).toBe(2);
  });

  it('refuses secrets as flags without echoing them', async () => {
    const run = await stack.run(['status', delivered.id, '--api-key', 'drk_leaked_value', '--json']);
    expect(run.code).toBe(2);
    expect(parseJsonError(run).error).toMatchObject({ name: 'UsageError', exitCode: 2 });
    expect(run.stdout + run.stderr).not.toContain('drk_leaked_value');
    const secret = await stack.run(['configurations', 'create', 'x', '--client-secret=hunter2']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).not.toContain('hunter2');
  }, TEST_TIMEOUT_MS);

  it('creates a key and prints it once; listings never show it; a revoked key is refused (exit 4)', async () => {
    const created = await stack.run(['keys', 'create', '--name', `cli-auditor-${stack.prefix.slice(-8)}`, '--role', 'auditor', '--json']);
    expect(created.code).toBe(0);
    const key = parseJson<CreatedApiKeyResponse>(created);
    expect(key.key).toMatch(/^drk_[0-9a-f]{12}_/);
    expect(key).toMatchObject({ role: 'auditor', revokedAt: null });

    const list = await stack.run(['keys', 'list', '--all', '--json']);
    expect(list.code).toBe(0);
    const listed = parseJson<ApiKeyListResponse>(list);
    expect(listed.items.find((k) => k.id === key.id)).toMatchObject({ role: 'auditor', prefix: key.prefix });
    expect(list.stdout).not.toContain(key.key);
    expect((await stack.run(['keys', 'list', '--all'])).stdout).not.toContain(key.key);

    const auditorFile = stack.file('auditor.key', `${key.key}\n`);
    const asAuditor = { DINGRELAY_API_KEY_FILE: auditorFile };
    expect((await stack.run(['history', 'sends', '--max-results', '1', '--json'], { env: asAuditor })).code).toBe(0);
    const forbidden = await stack.run(['send', '--user', 'staff-1', '--msg-key', 'sampleText', '--msg-param', '{"content":"no"}', '--json'], { env: asAuditor });
    expect(forbidden.code).toBe(4);
    expect(parseJsonError(forbidden).error).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const revoked = await stack.run(['keys', 'revoke', key.id, '--json']);
    expect(parseJson(revoked)).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    const refused = await stack.run(['usage', '--json'], { env: asAuditor });
    expect(refused.code).toBe(4);
    expect(parseJsonError(refused).error).toMatchObject({ status: 401 });
    expect(refused.stderr).not.toContain(key.key);
  }, TEST_TIMEOUT_MS);

  it('exits 4 for an unknown key, from the environment as well as from a file', async () => {
    const bogus = 'drk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const run = await stack.run(['status', delivered.id], { env: { DINGRELAY_API_KEY_FILE: undefined, DINGRELAY_API_KEY: bogus } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/HTTP 401 UNAUTHORIZED/);
    expect(run.stderr).not.toContain(bogus);
  }, TEST_TIMEOUT_MS);

  it('exits 3 for an unknown send, 2 for bad flags and 5 when dingrelay is down', async () => {
    const unknown = await stack.run(['status', '00000000-0000-4000-8000-000000000000', '--json']);
    expect(unknown.code).toBe(3);
    expect(parseJsonError(unknown).error).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: expect.any(String) });

    const badFlag = await stack.run(['history', 'sends', '--bogus']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--bogus/);
    // A usage error points to the help of the command that was understood, or to the list when none was.
    expect(badFlag.stderr).toMatch(/^ {2}see: dingrelay history sends --help$/m);
    expect((await stack.run(['history', 'sends', '--status', 'nope'])).code).toBe(2);
    expect((await stack.run(['status'])).code).toBe(2);
    const frobnicate = await stack.run(['frobnicate']);
    expect(frobnicate.code).toBe(2);
    expect(frobnicate.stderr).toMatch(/^ {2}see: dingrelay --help$/m);
    expect((await stack.run(['send', '--user', 'staff-1', '--msg-key', 'sampleText', '--msg-param', '{oops'])).code).toBe(2);

    // What only dingrelay judges (the CLI checks the message, not userIds): its 400 names the field, exit 3.
    const rejected = await stack.run(['send', '--user', `staff-${'9'.repeat(70)}`, '--msg-key', 'sampleText', '--msg-param', '{"content":"x"}', '--json']);
    expect(rejected.code).toBe(3);
    expect(parseJsonError(rejected).error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/^userIds/) })]) });

    const down = await stack.run(['status', delivered.id, '--json'], { env: { DINGRELAY_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(down.code).toBe(5);
    expect(parseJsonError(down).error).toMatchObject({ name: 'DingrelayConnectionError', errorCode: 'ECONNREFUSED', exitCode: 5 });
  }, TEST_TIMEOUT_MS);

  it('checks the message against the msgKey catalog before sending: exit 2 naming the field, and no request', async () => {
    const key = `cli-local-check-${stack.prefix.slice(-8)}`;
    const noText = ['send', '--user', 'staff-1', '--msg-key', 'sampleMarkdown', '--msg-param', '{"title":"no text"}', '--idempotency-key', key, '--json'];
    const missing = await stack.run(noText);
    expect(missing.code).toBe(2);
    expect(parseJsonError(missing).error).toMatchObject({
      name: 'UsageError',
      exitCode: 2,
      details: [{ field: 'msgParam.text', message: 'msgParam.text is required for sampleMarkdown' }],
    });

    const unknown = await stack.run(['send', '--user', 'staff-1', '--msg-key', 'sampleTxt', '--msg-param', '{"content":"x"}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^ {2}- msgKey "sampleTxt" is not a supported msgKey; expected one of: sampleText, /m);

    // No request was made: with dingrelay unreachable the answer is the same (not exit 5), and no send has the key.
    const offline = await stack.run(noText, { env: { DINGRELAY_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(offline.code).toBe(2);
    const history = await stack.run(['history', 'sends', '--idempotency-key', key, '--json']);
    expect(history.code).toBe(0);
    expect(parseJson<HistoryPage<SendHistoryItem>>(history).items).toEqual([]);

    // --skip-local-check leaves the judgement to dingrelay: the request is made, and its 400 (exit 3) names the field.
    const serverJudged = await stack.run([...noText, '--skip-local-check']);
    expect(serverJudged.code).toBe(3);
    expect(parseJsonError(serverJudged).error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ field: 'msgParam.text' })]),
    });
  }, TEST_TIMEOUT_MS);

  it('shows the audit trail of the send and the month\'s usage', async () => {
    const audit = await stack.run(['audit', '--target-type', 'send', '--target-id', delivered.id, '--json']);
    expect(audit.code).toBe(0);
    expect(parseJson<AuditEventPage>(audit).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'send.create', outcome: 'succeeded', target: { type: 'send', id: delivered.id } })]),
    );
    const usage = await stack.run(['usage', '--json']);
    expect(usage.code).toBe(0);
    expect(parseJson<UsageResponse>(usage).configurations.find((c) => c.chatConfiguration === stack.configuration)).toMatchObject({
      recipients: expect.any(Number),
      delivered: 6,
    });
  }, TEST_TIMEOUT_MS);

  // Below: sends and messages of their own, after the tests above that count the suite's sends and deliveries.

  it('refreshes the read status of a delivered send (202), and exits 3 with the reason when nothing is left to poll', async () => {
    const sent = await stack.run(['send', '--user', 'staff-31,staff-32', '--msg-key', 'sampleText', '--msg-param', '{"content":"read me"}', '--json', ...WAIT]);
    expect(sent.code).toBe(0);
    const { send } = parseJson<{ send: CreatedSend }>(sent);

    const refreshed = await stack.run(['refresh-read-status', send.id, '--json']);
    expect(refreshed.code).toBe(0);
    expect(parseJson<RefreshReadStatusResponse>(refreshed)).toEqual({ id: send.id, batches: 1, unreadRecipients: 2 });
    const table = await stack.run(['refresh-read-status', send.id]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^batches to poll +1$/m);
    expect(table.stdout).toMatch(/^unread recipients +2$/m);

    // The first send was recalled above: DingTalk has nothing to say about recalled messages.
    const recalled = await stack.run(['refresh-read-status', delivered.id, '--json']);
    expect(recalled.code).toBe(3);
    expect(parseJsonError(recalled).error).toMatchObject({ status: 409, code: 'CONFLICT', message: expect.stringMatching(/no read status left to poll/), exitCode: 3 });
    const text = await stack.run(['refresh-read-status', delivered.id]);
    expect(text.code).toBe(3);
    expect(text.stderr).toMatch(/^dingrelay: Send \S+ has no read status left to poll.*\(HTTP 409 CONFLICT/m);
  }, TEST_TIMEOUT_MS);

  it('stops waiting at --wait-timeout with the progress so far (exit 7); a later status --wait follows it to the end', async () => {
    // DingTalk answers batchSend only after 8 s: far longer than the waits below, well inside the worker's 10 s timeout.
    stack.sim.configure({ faults: { latencyMs: 8_000, apis: ['batchSend'] } });
    let sendId: string;
    try {
      const run = await stack.run(['send', '--user', 'staff-41', '--msg-key', 'sampleText', '--msg-param', '{"content":"slow"}', '--json', ...WAIT, '--wait-timeout', '0.5']);
      expect(run.code).toBe(7);
      const result = parseJson<{ send: CreatedSend; status: SendStatusResponse }>(run);
      sendId = result.send.id;
      expect(result.status).toMatchObject({ id: sendId, status: expect.stringMatching(/^(accepted|delivering)$/) });
      expect(result.status.recipients).toMatchObject({ total: 1, pending: 1, delivered: 0 });
      expect(parseJsonError(run).error).toMatchObject({ name: 'CliFailure', exitCode: 7, message: expect.stringMatching(/after --wait-timeout: 0 of 1 recipients settled/) });

      // At a terminal the bar shows the API's estimate of when the send will be done.
      const bar = await stack.runInTerminal(['status', sendId, ...WAIT, '--wait-timeout', '0.5']);
      expect(bar.code).toBe(7);
      expect(bar.stdout).toMatch(/\] {3}0% {2}0\/1 {2}ETA (<1s|\d+s|\d+m \d{2}s)/);

      const status = await stack.run(['status', sendId, ...WAIT, '--wait-timeout', '0.3']);
      expect(status.code).toBe(7);
      expect(status.stdout).toMatch(/^status +(accepted|delivering)$/m);
      expect(status.stdout).toMatch(/^pending +1$/m);
      expect(status.stderr).toMatch(/still (accepted|delivering) after --wait-timeout: 0 of 1 recipients settled; follow it with: dingrelay status \S+ --wait/);
    } finally {
      stack.sim.configure({ faults: {} });
    }
    const done = await stack.run(['status', sendId, ...WAIT, '--wait-timeout', '60', '--json']);
    expect(done.code).toBe(0);
    expect(parseJson<SendStatusResponse>(done)).toMatchObject({ status: 'completed', recipients: { total: 1, delivered: 1 } });
  }, TEST_TIMEOUT_MS);

  it('lists inbound messages pushed through the signed robot callback, filtered and paged', async () => {
    const run = stack.prefix.slice(-8);
    const sender = `staff-in-${run}`;
    const base = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < 3; i++) {
      const pushed = await pushSignedRobotMessage({
        apiUrl: stack.api.url,
        configuration: stack.configuration,
        appSecret: APP.appSecret,
        message: {
          msgtype: 'text',
          text: { content: `hello ${i}` },
          msgId: `cli-in-${i}-${run}`,
          createAt: base + i * 60_000,
          conversationType: '1',
          conversationId: `cid-cli-${run}`,
          senderStaffId: sender,
          senderNick: 'Wang Wu',
          robotCode: APP.robotCode,
        },
      });
      expect(pushed.status).toBe(200);
    }

    const all = await stack.run(['inbound', '--sender', sender, '--configuration', stack.configuration, '--max-results', '2', '--all', '--json']);
    expect(all.code).toBe(0);
    const page = parseJson<InboundMessagePage>(all);
    expect(page.nextToken).toBeNull();
    expect(page.items.map((m) => m.msgId)).toEqual([`cli-in-2-${run}`, `cli-in-1-${run}`, `cli-in-0-${run}`]);
    expect(page.items[0]).toMatchObject({ chatConfiguration: stack.configuration, msgtype: 'text', text: 'hello 2', conversationId: `cid-cli-${run}`, senderNick: 'Wang Wu' });

    const window = await stack.run(['inbound', '--conversation-id', `cid-cli-${run}`, '--msgtype', 'text', '--from', '2026-11-01T08:01:00+08:00', '--to', '2026-11-01T08:02:00+08:00', '--json']);
    expect(parseJson<InboundMessagePage>(window).items.map((m) => m.msgId)).toEqual([`cli-in-1-${run}`]);
    // Plain dates are days in the CLI's local time zone. In São Paulo (UTC-3) the three messages, sent at 00:00-00:02 UTC
    // on 1 November, arrived on the evening of 31 October: --from/--to of that day alone finds them, and 1 November none.
    const saoPaulo = { env: { TZ: 'America/Sao_Paulo' } };
    const october31 = await stack.run(['inbound', '--sender', sender, '--from', '2026-10-31', '--to', '2026-10-31', '--json'], saoPaulo);
    expect(october31.code).toBe(0);
    expect(parseJson<InboundMessagePage>(october31).items.map((m) => m.msgId)).toEqual([`cli-in-2-${run}`, `cli-in-1-${run}`, `cli-in-0-${run}`]);
    const november1 = await stack.run(['inbound', '--sender', sender, '--from', '2026-11-01', '--json'], saoPaulo);
    expect(parseJson<InboundMessagePage>(november1).items).toEqual([]);
    // In Shanghai (UTC+8) they arrived on 1 November at 08:00-08:02; --to of that day includes them (its end, exclusive).
    const shanghai = await stack.run(['inbound', '--sender', sender, '--from', '2026-11-01', '--to', '2026-11-01', '--json'], { env: { TZ: 'Asia/Shanghai' } });
    expect(parseJson<InboundMessagePage>(shanghai).items).toHaveLength(3);
    const notADay = await stack.run(['inbound', '--from', '2026-02-30', '--json']);
    expect(notADay.code).toBe(2);
    expect(parseJsonError(notADay).error.message).toBe('--from "2026-02-30" is not a calendar date (YYYY-MM-DD)');

    const pictures = await stack.run(['inbound', '--sender', sender, '--msgtype', 'picture', '--json']);
    expect(parseJson<InboundMessagePage>(pictures)).toEqual({ items: [], nextToken: null });

    const table = await stack.run(['inbound', '--sender', sender, '--max-results', '1']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SENT +CONFIGURATION +SENDER +NAME +CHAT +CONVERSATION +TYPE +MESSAGE$/);
    expect(table.stdout).toMatch(new RegExp(`^2026-11-01 00:02:00Z +${stack.configuration} +${sender} +Wang Wu +single +cid-cli-${run} +text +hello 2$`, 'm'));
    expect(table.stderr).toMatch(/more results: add --next-token \S+/);

    const badTime = await stack.run(['inbound', '--from', 'yesterday', '--json']);
    expect(badTime.code).toBe(3);
    expect(parseJsonError(badTime).error).toMatchObject({ status: 400, details: [expect.objectContaining({ field: 'createdFrom' })] });
  }, TEST_TIMEOUT_MS);
});
