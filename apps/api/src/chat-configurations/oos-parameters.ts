import {
  ChatConfigurationType,
  CreateChatConfigurationRequest,
  ListChatConfigurationsQuery,
  MAX_CHAT_CONFIGURATIONS_PAGE_SIZE,
  toApiErrorDetails,
  UpdateChatConfigurationRequest,
  type ApiErrorDetail,
} from '@dingrelay/contracts';
import { ApiErrorCode } from '@dingrelay/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiException } from '../http/api.exception.js';

/** Where the OOS-compatible action endpoint listens (OOS itself is `POST /` on its own host). */
export const OOS_PATH = 'v1/oos';

export const OosAction = {
  Create: 'CreateChatConfiguration',
  Update: 'UpdateChatConfiguration',
  Get: 'GetChatConfiguration',
  List: 'ListChatConfigurations',
  Delete: 'DeleteChatConfiguration',
} as const;
export type OosAction = (typeof OosAction)[keyof typeof OosAction];
export const OOS_ACTIONS: readonly string[] = Object.values(OosAction);

/** OOS parameter names for the REST fields a validation detail names. */
const OOS_FIELD: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  status: 'Status',
  ramRole: 'RamRole',
  resourceGroupId: 'ResourceGroupId',
  tags: 'Tags',
  configuration: 'Configuration',
  'configuration.clientId': 'Configuration.DingTalkClientId',
  'configuration.clientSecret': 'Configuration.DingTalkClientSecret',
  'configuration.robotCode': 'Configuration.DingTalkRobotCode',
  'configuration.templateId': 'Configuration.DingTalkTemplateId',
  'configuration.callsPerSecond': 'Configuration.DingTalkCallsPerSecond',
  'configuration.paceUtilization': 'Configuration.DingTalkPaceUtilization',
  'configuration.monthlyCallQuota': 'Configuration.DingTalkMonthlyCallQuota',
  maxResults: 'MaxResults',
  nextToken: 'NextToken',
  chatConfiguration: 'Name',
};

/** `Configuration` JSON keys → REST `configuration` fields. */
const CONFIGURATION_KEYS: Record<string, string> = {
  DingTalkClientId: 'clientId',
  DingTalkClientSecret: 'clientSecret',
  DingTalkRobotCode: 'robotCode',
  DingTalkTemplateId: 'templateId',
  DingTalkCallsPerSecond: 'callsPerSecond',
  DingTalkPaceUtilization: 'paceUtilization',
  DingTalkMonthlyCallQuota: 'monthlyCallQuota',
};

export function oosField(field: string): string {
  return OOS_FIELD[field] ?? field;
}

export type OosParameters = Record<string, string>;

/** Query string and form body together (the body wins); OOS sends everything as strings. */
export function oosParameters(query: unknown, body: unknown): OosParameters {
  const out: OosParameters = {};
  for (const source of [query, body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === 'string') out[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
      else if (value !== null && value !== undefined) out[key] = JSON.stringify(value);
    }
  }
  return out;
}

function invalid(field: string, message: string): ApiException {
  return new ApiException(400, ApiErrorCode.ValidationFailed, `${field} ${message}`, [{ field, message }]);
}

export function requireParameter(params: OosParameters, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw invalid(name, 'is mandatory for this action');
  return value;
}

function parseJson(params: OosParameters, name: string): unknown {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid(name, 'must be a JSON string');
  }
}

/** `Configuration` (a JSON string) → the REST configuration object; unknown keys are refused, like REST's. */
function configurationOf(params: OosParameters): Record<string, unknown> | undefined {
  const parsed = parseJson(params, 'Configuration');
  if (parsed === undefined) return undefined;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('Configuration', 'must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = CONFIGURATION_KEYS[key];
    if (!field) throw invalid(`Configuration.${key}`, `is not a known key (${Object.keys(CONFIGURATION_KEYS).join(', ')})`);
    out[field] = value;
  }
  return out;
}

/** `Tags`: a JSON object `{"k":"v"}` or OOS-style `[{"Key":"k","Value":"v"}]`. */
function tagsOf(params: OosParameters): Record<string, string> | undefined {
  const parsed = parseJson(params, 'Tags');
  if (parsed === undefined) return undefined;
  if (Array.isArray(parsed)) {
    const out: Record<string, string> = {};
    for (const entry of parsed as { Key?: unknown; Value?: unknown }[]) {
      if (!entry || typeof entry.Key !== 'string') throw invalid('Tags', 'entries must be {"Key": string, "Value": string}');
      out[entry.Key] = typeof entry.Value === 'string' ? entry.Value : '';
    }
    return out;
  }
  return parsed as Record<string, string>;
}

function validated<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return instance;
  const details: ApiErrorDetail[] = toApiErrorDetails(errors).map((d) => ({
    field: oosField(d.field),
    message: d.message.replace(/^configuration\.(\w+)|^(\w+)/, (m) => oosField(m)),
  }));
  throw new ApiException(400, ApiErrorCode.ValidationFailed, details.map((d) => d.message).slice(0, 3).join('; '), details);
}

/** Create/Update parameters as the REST request they mean, validated by the same rules. */
export function changeRequestOf(params: OosParameters, creating: boolean): CreateChatConfigurationRequest {
  const plain: Record<string, unknown> = {};
  if (creating) {
    plain['name'] = requireParameter(params, 'Name');
    // OOS documents Type as optional; a configuration without one is a DingTalk one.
    plain['type'] = params['Type'] ?? ChatConfigurationType.DingTalk;
  } else if (params['Type'] !== undefined) {
    plain['type'] = params['Type'];
  }
  if (params['Status'] !== undefined) plain['status'] = params['Status'];
  if (params['RamRole'] !== undefined) plain['ramRole'] = params['RamRole'];
  if (params['ResourceGroupId'] !== undefined) plain['resourceGroupId'] = params['ResourceGroupId'];
  const tags = tagsOf(params);
  if (tags !== undefined) plain['tags'] = tags;
  const configuration = configurationOf(params);
  if (configuration !== undefined) plain['configuration'] = configuration;
  return creating
    ? validated(CreateChatConfigurationRequest, plain)
    : (validated(UpdateChatConfigurationRequest, plain) as CreateChatConfigurationRequest);
}

/** `Filters` `[{Name, Value}]` (names: name, type, status, tag:<key>), `MaxResults`, `NextToken` → the REST query. */
export function listQueryOf(params: OosParameters): { query: ListChatConfigurationsQuery; type?: string } {
  const plain: Record<string, unknown> = {};
  let type: string | undefined;
  const filters = parseJson(params, 'Filters');
  if (filters !== undefined) {
    if (!Array.isArray(filters)) throw invalid('Filters', 'must be a JSON array of {"Name": string, "Value": string}');
    for (const filter of filters as { Name?: unknown; Value?: unknown }[]) {
      if (!filter || typeof filter.Name !== 'string' || (filter.Value !== undefined && typeof filter.Value !== 'string')) {
        throw invalid('Filters', 'entries must be {"Name": string, "Value": string}');
      }
      const name = filter.Name.toLowerCase();
      if (name === 'type') {
        // Matched against stored types, case-insensitively; a type no configuration has (seed 002's example filters
        // on "private") matches nothing rather than being an error.
        type = typeName(String(filter.Value ?? ''));
      } else if (name === 'name' || name === 'status') {
        plain[name] = filter.Value;
      } else if (name.startsWith('tag:')) {
        plain['tag'] = filter.Value === undefined ? filter.Name.slice(4) : `${filter.Name.slice(4)}=${filter.Value}`;
      } else {
        throw invalid('Filters', `filter name ${JSON.stringify(filter.Name)} is not one of name, type, status, tag:<key>`);
      }
    }
  }
  if (params['MaxResults'] !== undefined) {
    if (!/^\d{1,4}$/.test(params['MaxResults'])) throw invalid('MaxResults', `must be an integer from 1 to ${MAX_CHAT_CONFIGURATIONS_PAGE_SIZE}`);
    plain['maxResults'] = params['MaxResults'];
  }
  if (params['NextToken'] !== undefined && params['NextToken'] !== '') plain['nextToken'] = params['NextToken'];
  return { query: validated(ListChatConfigurationsQuery, plain), type };
}

function typeName(value: string): string {
  return Object.values(ChatConfigurationType).find((t) => t.toLowerCase() === value.toLowerCase()) ?? value;
}
