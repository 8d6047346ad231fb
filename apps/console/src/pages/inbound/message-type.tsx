import { useTranslation } from 'react-i18next';
import { INBOUND_MESSAGE_TYPES } from './inbound-filters';

type KnownType = (typeof INBOUND_MESSAGE_TYPES)[number];

function isKnownType(type: string): type is KnownType {
  return (INBOUND_MESSAGE_TYPES as readonly string[]).includes(type);
}

/** "图片 · picture"; a type this console does not know is shown as DingTalk named it. */
export function useMessageTypeLabel(): (type: string) => string {
  const { t } = useTranslation('inbound');
  return (type) => (isKnownType(type) ? `${t(`types.${type}`)} · ${type}` : type);
}

export function useMessageTypeName(): (type: string) => string {
  const { t } = useTranslation('inbound');
  return (type) => (isKnownType(type) ? t(`types.${type}`) : type);
}
