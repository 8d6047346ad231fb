import { I18N_LOCALE_PATTERN, MAX_I18N_LOCALES, MAX_I18N_NAME_LENGTH, MAX_PLUGINS_PER_ROBOT, PLUGIN_ICON_PATTERN } from '@dingrelay/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiErrorResponse } from './api-error-response.decorator.js';
import type { SchemaObject } from './send.schemas.js';
import { nullableRef, ref } from './schema-ref.js';

/** Built from the contracts' limits, so the document says what the validation pipe enforces (PluginEntryInput). */
export function pluginEntryInputSchema(): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'icon'],
    properties: {
      name: {
        type: 'object',
        description: `Label per locale (keys like zh_CN, en_US: ${I18N_LOCALE_PATTERN.source}), e.g. {"zh_CN": "请假", "en_US": "Leave"}; sent to DingTalk as a JSON string`,
        minProperties: 1,
        maxProperties: MAX_I18N_LOCALES,
        additionalProperties: { type: 'string', minLength: 1, maxLength: MAX_I18N_NAME_LENGTH },
      },
      icon: { type: 'string', pattern: PLUGIN_ICON_PATTERN.source, description: 'mediaId from DingTalk media upload' },
      pcUrl: { type: 'string', format: 'uri', pattern: '^https://', description: 'Opened on the PC client' },
      mobileUrl: { type: 'string', format: 'uri', pattern: '^https://', description: 'Opened on the mobile client' },
    },
  };
}

export function setPluginsRequestSchema(): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['plugins'],
    properties: { plugins: { type: 'array', minItems: 1, maxItems: MAX_PLUGINS_PER_ROBOT, items: ref('PluginEntryInput') } },
  };
}

/** contracts' PluginEntry, as dingrelay reports it. */
export const pluginEntrySchema: SchemaObject = {
  type: 'object',
  required: ['name', 'icon'],
  properties: {
    name: { type: 'object', additionalProperties: { type: 'string' }, description: 'Label per locale', example: { zh_CN: '请假', en_US: 'Leave' } },
    icon: { type: 'string', description: 'mediaId' },
    pcUrl: { type: 'string' },
    mobileUrl: { type: 'string' },
  },
};

/** An entry as plugins/query returned it; rawName is there when DingTalk's name is not a JSON object. */
export const dingTalkPluginEntrySchema: SchemaObject = {
  type: 'object',
  required: ['name', 'icon'],
  properties: {
    ...pluginEntrySchema.properties,
    rawName: { type: 'string', description: "DingTalk's name as set outside dingrelay, when it is not a locale map" },
  },
};

/** contracts' AppliedPluginsState. */
export const appliedPluginsSchema: SchemaObject = {
  type: 'object',
  required: ['action', 'plugins', 'appliedAt', 'appliedBy'],
  properties: {
    action: ref('PluginsAction'),
    plugins: { type: 'array', items: ref('PluginEntry') },
    appliedAt: { type: 'string', format: 'date-time' },
    appliedBy: { type: 'string' },
  },
};

export const pluginsActionSchema: SchemaObject = { type: 'string', enum: ['set', 'clear'], description: 'What was applied last' };

/** contracts' PluginsChangeResponse: PUT and DELETE …/plugins. */
export const pluginsChangeSchema: SchemaObject = {
  type: 'object',
  required: ['chatConfiguration', 'robotCode', 'applied'],
  properties: { chatConfiguration: { type: 'string' }, robotCode: { type: 'string' }, applied: ref('AppliedPlugins') },
};

/** contracts' PluginsResponse: GET …/plugins. */
export const pluginsSchema: SchemaObject = {
  type: 'object',
  required: ['chatConfiguration', 'robotCode', 'dingtalk', 'lastApplied'],
  properties: {
    chatConfiguration: { type: 'string' },
    robotCode: { type: 'string' },
    dingtalk: ref('DingTalkPlugins'),
    lastApplied: nullableRef('AppliedPlugins', 'What dingrelay last applied; null if never'),
  },
};

export const dingTalkPluginsSchema: SchemaObject = {
  type: 'object',
  required: ['plugins'],
  properties: { plugins: { type: 'array', items: ref('DingTalkPluginEntry') } },
};

/** How setting or clearing a robot's quick entries can be refused: by dingrelay before the call, or by DingTalk. */
export function ApiPluginsChangeRefusals(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponse(409, 'Configuration inactive or not DingTalk, or the robot is disabled (robotIsStop)'),
    ApiErrorResponse(422, 'DingTalk refused (robotNotExist, robotCodeNotMatch, exceededMaximumLimit…)'),
    ApiErrorResponse(503, 'DingTalk failed or throttled; see Retry-After'),
  );
}
