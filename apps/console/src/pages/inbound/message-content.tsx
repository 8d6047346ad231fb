import type { InboundMessageResponse } from '@dingrelay/contracts/client';
import { Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Content = Record<string, unknown>;

function asRecord(value: unknown): Content | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Content) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function seconds(value: unknown): number | null {
  // DingTalk gives audio and video durations in milliseconds.
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value / 1000) : null;
}

/**
 * What the user wrote, readable: a text as is; rich text as its words with a tag where a picture was; pictures,
 * voice, video and files as a tag with what DingTalk tells of them (a voice message's recognised words, a file's
 * name). The raw `content` is in the row's details.
 */
export function MessageContent({ message }: { message: Pick<InboundMessageResponse, 'msgtype' | 'text' | 'content'> }) {
  const { t } = useTranslation('inbound');
  const content = asRecord(message.content);
  const paragraph = (children: ReactNode) => <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{children}</Typography.Paragraph>;

  switch (message.msgtype) {
    case 'text':
      return paragraph(message.text ?? '');
    case 'richText': {
      const parts = Array.isArray(content?.['richText']) ? (content['richText'] as unknown[]) : [];
      return paragraph(
        parts.map((part, index) => {
          const item = asRecord(part);
          const words = text(item?.['text']);
          if (words !== null) return <span key={index}>{words}</span>;
          return (
            <Tag key={index} style={{ marginInline: 4 }}>
              {t('content.picture')}
            </Tag>
          );
        }),
      );
    }
    case 'picture':
      return <Tag>{t('content.picture')}</Tag>;
    case 'audio': {
      const duration = seconds(content?.['duration']);
      const recognition = text(content?.['recognition']);
      return (
        <Space size={4} wrap>
          <Tag>{duration === null ? t('content.audio') : t('content.audioWithDuration', { seconds: duration })}</Tag>
          {recognition && <Typography.Text>{t('content.recognition', { text: recognition })}</Typography.Text>}
        </Space>
      );
    }
    case 'video': {
      const duration = seconds(content?.['duration']);
      return <Tag>{duration === null ? t('content.video') : t('content.videoWithDuration', { seconds: duration })}</Tag>;
    }
    case 'file': {
      const name = text(content?.['fileName']);
      return (
        <Space size={4} wrap>
          <Tag>{t('content.file')}</Tag>
          {name && <Typography.Text>{name}</Typography.Text>}
        </Space>
      );
    }
    default:
      return message.text ? paragraph(message.text) : <Typography.Text code>{JSON.stringify(message.content)}</Typography.Text>;
  }
}
