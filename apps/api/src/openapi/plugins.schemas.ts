import { I18N_LOCALE_PATTERN, MAX_I18N_LOCALES, MAX_I18N_NAME_LENGTH, MAX_PLUGINS_PER_ROBOT, PLUGIN_ICON_PATTERN } from '@dingrelay/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { apiErrorSchema, type SchemaObject } from './send.schemas.js';

/** Built from the contracts' limits, so the document says what the validation pipe enforces. */
function pluginEntrySchema(): SchemaObject {
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
    properties: { plugins: { type: 'array', minItems: 1, maxItems: MAX_PLUGINS_PER_ROBOT, items: pluginEntrySchema() } },
  };
}

/** How setting or clearing a robot's quick entries can be refused: by dingrelay before the call, or by DingTalk. */
export function ApiPluginsChangeRefusals(): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 409, description: 'Configuration inactive or not DingTalk, or the robot is disabled (robotIsStop)', schema: apiErrorSchema }),
    ApiResponse({ status: 422, description: 'DingTalk refused (robotNotExist, robotCodeNotMatch, exceededMaximumLimit…)', schema: apiErrorSchema }),
    ApiResponse({ status: 503, description: 'DingTalk failed or throttled; see Retry-After', schema: apiErrorSchema }),
  );
}
