import type {
  ChatConfigurationResponse,
  ChatConfigurationStatus,
  ChatConfigurationType,
  CreateChatConfigurationRequest,
  UpdateChatConfigurationRequest,
} from '@dingrelay/contracts/client';

/** One row of the tags editor; the API takes tags as a `{key: value}` map. */
export interface TagRow {
  key?: string;
  value?: string;
}

/**
 * The configuration form as Ant Design holds it. Names follow the request's field paths (`configuration.clientId` is
 * `['configuration', 'clientId']`), so the API's 400 details land on the field they name.
 */
export interface ConfigurationFormValues {
  name?: string;
  type?: ChatConfigurationType;
  status?: ChatConfigurationStatus;
  ramRole?: string | null;
  resourceGroupId?: string | null;
  tags?: TagRow[];
  configuration?: {
    clientId?: string | null;
    /** Empty when editing: the stored secret is never shown; typing one replaces it. */
    clientSecret?: string | null;
    robotCode?: string | null;
    templateId?: string | null;
    callsPerSecond?: number | null;
    paceUtilization?: number | null;
    monthlyCallQuota?: number | null;
  };
}

type Settings = Required<NonNullable<UpdateChatConfigurationRequest['configuration']>>;
const TEXT_SETTINGS = ['clientId', 'robotCode', 'templateId'] as const;
const NUMBER_SETTINGS = ['callsPerSecond', 'paceUtilization', 'monthlyCallQuota'] as const;

/** An empty or blank input means "no value". */
function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function number(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function tagsOf(rows: TagRow[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const row of rows ?? []) {
    const key = row.key?.trim();
    if (key) tags[key] = row.value ?? '';
  }
  return tags;
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && b[key] === a[key]);
}

/** `POST /v1/chat-configurations`: every field given; empty optional ones left out (the server defaults apply). */
export function toCreateRequest(values: ConfigurationFormValues): CreateChatConfigurationRequest {
  const request: CreateChatConfigurationRequest = { name: values.name?.trim() ?? '', type: values.type ?? 'DingTalk' };
  if (values.status) request.status = values.status;
  const ramRole = text(values.ramRole);
  if (ramRole !== null) request.ramRole = ramRole;
  const resourceGroupId = text(values.resourceGroupId);
  if (resourceGroupId !== null) request.resourceGroupId = resourceGroupId;
  const tags = tagsOf(values.tags);
  if (Object.keys(tags).length > 0) request.tags = tags;

  const form = values.configuration ?? {};
  const configuration: Partial<Settings> = {};
  for (const field of TEXT_SETTINGS) {
    const value = text(form[field]);
    if (value !== null) configuration[field] = value;
  }
  // The secret is taken exactly as typed: spaces may be part of it.
  if (form.clientSecret) configuration.clientSecret = form.clientSecret;
  for (const field of NUMBER_SETTINGS) {
    const value = number(form[field]);
    if (value !== null) configuration[field] = value;
  }
  if (Object.keys(configuration).length > 0) request.configuration = configuration;
  return request;
}

/** The form's starting values for editing a configuration; the secret field starts empty. */
export function formValuesOf(configuration: ChatConfigurationResponse): ConfigurationFormValues {
  const c = configuration.configuration;
  return {
    name: configuration.name,
    type: configuration.type,
    status: configuration.status,
    ramRole: configuration.ramRole,
    resourceGroupId: configuration.resourceGroupId,
    tags: Object.entries(configuration.tags).map(([key, value]) => ({ key, value })),
    configuration: {
      clientId: c.clientId,
      clientSecret: null,
      robotCode: c.robotCode,
      templateId: c.templateId,
      callsPerSecond: c.callsPerSecond,
      paceUtilization: c.paceUtilization,
      monthlyCallQuota: c.monthlyCallQuota,
    },
  };
}

/**
 * `PATCH /v1/chat-configurations/:name`: only what the user changed. A cleared optional field is sent as null (the
 * API clears it; absent would keep it); a typed client secret replaces the stored one, an empty one keeps it.
 */
export function toPatchRequest(current: ChatConfigurationResponse, values: ConfigurationFormValues): UpdateChatConfigurationRequest {
  const patch: UpdateChatConfigurationRequest = {};
  if (values.type !== undefined && values.type !== current.type) patch.type = values.type;
  if (values.status !== undefined && values.status !== current.status) patch.status = values.status;
  for (const field of ['ramRole', 'resourceGroupId'] as const) {
    const value = text(values[field]);
    if (value !== text(current[field])) patch[field] = value;
  }
  const tags = tagsOf(values.tags);
  if (!sameTags(tags, current.tags)) patch.tags = tags;

  const form = values.configuration ?? {};
  const configuration: Partial<{ [K in keyof Settings]: Settings[K] | null }> = {};
  for (const field of TEXT_SETTINGS) {
    const value = text(form[field]);
    if (value !== text(current.configuration[field])) configuration[field] = value;
  }
  if (form.clientSecret) configuration.clientSecret = form.clientSecret;
  for (const field of NUMBER_SETTINGS) {
    const value = number(form[field]);
    if (value !== number(current.configuration[field])) configuration[field] = value;
  }
  if (Object.keys(configuration).length > 0) patch.configuration = configuration as UpdateChatConfigurationRequest['configuration'];
  return patch;
}

/** The form field an API field path names: `configuration.clientId` → `['configuration', 'clientId']`, `tags.0` → `['tags', 0]`. */
export function formNameOf(apiField: string): (string | number)[] {
  return apiField.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
