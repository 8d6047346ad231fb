import { computeCallbackSign } from '@dingrelay/dingtalk-client';
import type { Baseline } from './fuzz-case.arbitraries.js';

/** What the suite set up for the baselines to point at. */
export interface FuzzFixtures {
  /** The simulator's app, whose secret signs robot callbacks. */
  app: { appKey: string; appSecret: string; robotCode: string };
  /** Sends and callbacks go through it; the sender key is scoped to it. */
  main: string;
  /** Updated and given quick entries by the fuzzed requests. */
  target: string;
  /** The one a DELETE may remove. */
  doomed: string;
  /** Two sends through `main` to the same users: reads use the first, cancel/recall/refresh the second. */
  sends: [string, string];
  user: string;
  adminKeyId: string;
  /** A key a revoke may revoke. */
  spareKeyId: string;
  exportToken: string;
  /** A real second-page token per paged operation. */
  pageTokens: Partial<Record<string, string>>;
}

/**
 * Operations the fuzzer does not send, each with its reason. Empty: every operation is safe to fuzz here, since the
 * only outside service one can reach (quick entries call DingTalk) is the suite's DingTalk simulator.
 */
export const NOT_FUZZED: Readonly<Record<string, string>> = {};

const PLUGIN = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave' };

/** A valid request per operationId; the fuzzer spoils one to three of its parts per case. */
export function fuzzBaselines(f: FuzzFixtures): Record<string, Baseline> {
  const page = (id: string, query: Record<string, string> = {}): Baseline => ({
    query: { maxResults: '1', ...query },
    ...(f.pageTokens[id] ? { pageToken: f.pageTokens[id] } : {}),
  });
  const signed = () => {
    const timestamp = String(Date.now());
    return { timestamp, sign: computeCallbackSign(timestamp, f.app.appSecret) };
  };
  const configuration = (name: string) => ({
    name,
    type: 'DingTalk',
    configuration: { clientId: f.app.appKey, clientSecret: f.app.appSecret, robotCode: f.app.robotCode },
  });
  return {
    getLiveness: {},
    getReadiness: {},
    getMetrics: {},
    createApiKey: { body: { name: 'fuzz-key', role: 'sender', chatConfigurations: [f.main], expiresAt: '2099-01-01T00:00:00Z' } },
    listApiKeys: page('listApiKeys'),
    getCurrentApiKey: {},
    getApiKey: { path: { id: f.adminKeyId } },
    revokeApiKey: { path: { id: f.spareKeyId } },
    listAuditEvents: page('listAuditEvents', { from: '2020-01-01T00:00:00Z', outcome: 'succeeded' }),
    verifyAuditChain: { query: { digestCount: '1', digestHash: '0'.repeat(64), digestAt: '2026-01-01T00:00:00Z', digestSignature: 'a'.repeat(64) } },
    receiveRobotMessage: {
      path: { name: f.main },
      headers: signed,
      body: {
        msgtype: 'text',
        text: { content: 'fuzz' },
        msgId: 'fuzz-msg',
        createAt: 1_765_000_000_000,
        conversationType: '1',
        conversationId: 'fuzz-cid',
        senderStaffId: f.user,
        robotCode: f.app.robotCode,
      },
    },
    receiveEventPush: {
      path: { name: f.main },
      query: { timestamp: '1765000000000', nonce: 'fuzz-nonce', msg_signature: 'f'.repeat(40) },
      body: { encrypt: 'AAAA' },
    },
    createChatConfiguration: { body: { ...configuration('fuzz-created'), tags: { team: 'fuzz' } } },
    listChatConfigurations: page('listChatConfigurations', { type: 'DingTalk' }),
    getChatConfiguration: { path: { name: f.main } },
    updateChatConfiguration: { path: { name: f.target }, body: { tags: { fuzz: 'yes' }, status: 'active' } },
    putChatConfiguration: { path: { name: f.target }, body: { tags: { fuzz: 'yes' }, ramRole: 'fuzz' } },
    deleteChatConfiguration: { path: { name: f.doomed } },
    setPlugins: { path: { name: f.target }, body: { plugins: [PLUGIN] } },
    getPlugins: { path: { name: f.target } },
    clearPlugins: { path: { name: f.target } },
    probeExportDownload: { path: { token: f.exportToken } },
    downloadExport: { path: { token: f.exportToken } },
    createExportLink: { body: { export: 'sends', format: 'csv', filters: { chatConfiguration: f.main, createdFrom: '2020-01-01T00:00:00Z' } } },
    exportRecipients: { query: { userId: f.user, format: 'ndjson', createdFrom: '2020-01-01T00:00:00Z' } },
    exportSends: { query: { chatConfiguration: f.main, format: 'csv', bom: 'true' } },
    listInboundMessages: page('listInboundMessages', { chatConfiguration: f.main }),
    callOosAction: { query: { Action: 'GetChatConfiguration', Name: f.main, RegionId: 'cn-hangzhou' } },
    listRecipientHistory: page('listRecipientHistory', { userId: f.user }),
    createSend: {
      body: { userIds: [f.user, 'fuzz-u-2'], msgKey: 'sampleMarkdown', msgParam: { title: 'fuzz', text: '## fuzz' }, chatConfiguration: f.main },
      headers: () => ({ 'Idempotency-Key': 'fuzz-baseline' }),
    },
    listSends: page('listSends', { chatConfiguration: f.main, createdFrom: '2020-01-01T00:00:00Z' }),
    getSend: { path: { id: f.sends[0] } },
    cancelSend: { path: { id: f.sends[1] } },
    listSendEvents: { path: { id: f.sends[0] }, ...page('listSendEvents') },
    refreshReadStatus: { path: { id: f.sends[1] } },
    recallSend: { path: { id: f.sends[1] } },
    listSendRecipients: { path: { id: f.sends[0] }, ...page('listSendRecipients', { status: 'pending' }) },
    getSendStats: { query: { createdFrom: '2026-01-01T00:00:00Z', createdTo: '2026-01-02T00:00:00Z', interval: 'hour', timeZone: 'Asia/Shanghai' } },
    getUsage: { query: { month: '2026-12' } },
  };
}
