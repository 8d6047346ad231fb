import type { IsoDateTime } from '../sends/send.responses.js';
import type { ChatConfigurationStatus, ChatConfigurationType } from './chat-configuration.js';

/** A configuration as every response shows it: secrets are always `******`. */
export interface ChatConfigurationResponse {
  name: string;
  type: ChatConfigurationType;
  status: ChatConfigurationStatus;
  ramRole: string | null;
  resourceGroupId: string | null;
  tags: Record<string, string>;
  configuration: {
    clientId: string | null;
    clientSecret: string | null;
    robotCode: string | null;
    templateId: string | null;
    callsPerSecond: number | null;
    paceUtilization: number | null;
    monthlyCallQuota: number | null;
  };
  outputs: {
    /** Where DingTalk posts this configuration's robot messages. */
    url: string;
    /** The §9.4 EncodingAESKey: shown in full only in the creation response. */
    aesKey: string;
    /** The §9.4 token: shown in full only in the creation response. */
    callbackToken: string;
  };
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface ListChatConfigurationsResponse {
  items: ChatConfigurationResponse[];
  nextToken: string | null;
}

export interface DeleteChatConfigurationResponse {
  name: string;
  deleted: true;
}
