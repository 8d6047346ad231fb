/**
 * What an integrator writes with a client generated from apps/api/openapi.json (openapi-typescript) and
 * openapi-fetch: create a send, find it in the history, read one of its typed fields, see a typed error. The
 * typed-client test compiles it with tsc next to the generated `dingrelay-api.d.ts` (the `@ts-expect-error`
 * lines fail the compile if a wrong field were accepted), then runs it against the real stack and reads its output.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './dingrelay-api.js';

type Schemas = components['schemas'];

const baseUrl = process.env['DINGRELAY_URL'];
const apiKey = process.env['DINGRELAY_API_KEY'];
const userIds = (process.env['DINGRELAY_USER_IDS'] ?? '').split(',');
if (!baseUrl || !apiKey || userIds.length === 0) throw new Error('set DINGRELAY_URL, DINGRELAY_API_KEY and DINGRELAY_USER_IDS');

const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
const idempotencyKey = `typed-client-${Date.now()}`;

const body: Schemas['CreateSendRequest'] = {
  userIds,
  msgKey: 'sampleMarkdown',
  msgParam: { title: 'Typed client', text: '## generated from openapi.json' },
};
// @ts-expect-error: msgKey is the MsgKey enum, not any string
const wrongKey: Schemas['CreateSendRequest'] = { ...body, msgKey: 'markdown' };
void wrongKey;

const created = await client.POST('/v1/sends', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } });
if (!created.data) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
const sendId: string = created.data.id;
const accepted: number = created.data.recipients.accepted;
// @ts-expect-error: an accepted send says nothing yet about deliveries
void created.data.delivered;

const replay = await client.POST('/v1/sends', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } });

const page = await client.GET('/v1/sends', { params: { query: { idempotencyKey, maxResults: 10 } } });
if (!page.data) throw new Error(`list failed: ${JSON.stringify(page.error)}`);
// A history page's items are typed (SendHistoryItem), not `never` (nor `any`: see the @ts-expect-error below).
type IsNever<T> = [T] extends [never] ? true : false;
const historyItemsAreNever: IsNever<(typeof page.data.items)[number]> = false;
void historyItemsAreNever;
const first: Schemas['SendHistoryItem'] | undefined = page.data.items[0];
const listedId: string | undefined = page.data.items[0]?.id;
const listedStatus: Schemas['SendStatus'] | undefined = first?.status;
const nextToken: string | null = page.data.nextToken;
// @ts-expect-error: history items carry no msgParam (GET /v1/sends/{id} does)
void page.data.items[0]?.msgParam;

const status = await client.GET('/v1/sends/{id}', { params: { path: { id: sendId } } });
const recall: Schemas['RecallSummary'] | null | undefined = status.data?.recall;

const missing = await client.GET('/v1/sends/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
const missingCode: string | undefined = missing.error?.code;
const missingDetails: Schemas['ApiErrorDetail'][] | undefined = missing.error?.details;

const invalid = await client.POST('/v1/sends', { body: { ...body, userIds: [] } });
const invalidField: string | undefined = invalid.error?.details[0]?.field;

process.stdout.write(
  `${JSON.stringify({
    sendId,
    accepted,
    replayed: replay.response.headers.get('Idempotent-Replayed'),
    replayedId: replay.data?.id ?? null,
    listedId: listedId ?? null,
    listedStatus: listedStatus ?? null,
    nextToken,
    statusMsgKey: status.data?.msgKey ?? null,
    recall: recall ?? null,
    missing: { status: missing.response.status, code: missingCode ?? null, details: missingDetails ?? null },
    invalid: { status: invalid.response.status, code: invalid.error?.code ?? null, field: invalidField ?? null },
  })}\n`,
);
