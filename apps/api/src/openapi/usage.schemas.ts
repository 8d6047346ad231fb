import type { SchemaObject } from './send.schemas.js';
import { nullableRef, ref } from './schema-ref.js';

const count = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });

/** contracts' UsageResponse. */
export const usageSchema: SchemaObject = {
  type: 'object',
  required: ['month', 'timeZone', 'configurations'],
  properties: {
    month: { type: 'string', pattern: '^\\d{4}-\\d{2}$', example: '2026-11' },
    timeZone: { type: 'string', example: 'Asia/Shanghai', description: "The zone the month's boundaries are taken in" },
    configurations: { type: 'array', items: ref('ConfigurationUsage') },
  },
};

/** contracts' ConfigurationUsage: one chat configuration's DingTalk usage in the month. */
export const configurationUsageSchema: SchemaObject = {
  type: 'object',
  required: ['chatConfiguration', 'calls', 'billableCalls', 'recipients', 'delivered', 'throttled', 'errors', 'quota', 'pause'],
  properties: {
    chatConfiguration: { type: 'string' },
    calls: count('Calls that reached DingTalk, whatever the answer'),
    billableCalls: count('Calls DingTalk charges to the monthly quota'),
    recipients: count('Users named in those calls'),
    delivered: count(),
    throttled: count('Calls answered with QPS throttling or rate limiting'),
    errors: count(),
    quota: ref('UsageQuota'),
    pause: nullableRef('QuotaPause', 'Deliveries held because DingTalk said the quota is spent; null when not'),
  },
};

export const usageQuotaSchema: SchemaObject = {
  type: 'object',
  required: ['monthlyCalls', 'remaining', 'usedRatio', 'warning', 'warningRatio'],
  properties: {
    monthlyCalls: count(),
    remaining: { type: 'integer' },
    usedRatio: { type: 'number', description: 'billableCalls / monthlyCalls' },
    warning: { type: 'boolean', description: 'True at or above warningRatio' },
    warningRatio: { type: 'number', example: 0.8, description: 'DINGTALK_QUOTA_WARNING_RATIO' },
  },
};

export const quotaPauseSchema: SchemaObject = {
  type: 'object',
  required: ['reason', 'code', 'message', 'since', 'until'],
  properties: {
    reason: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string', nullable: true },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time', description: 'Deliveries resume by themselves then' },
  },
};
