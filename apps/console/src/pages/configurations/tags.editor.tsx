import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { MAX_CHAT_CONFIGURATION_TAGS } from '@dingrelay/contracts/client';
import { Button, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { TAG_KEY_PATTERN } from './configuration-filters';
import type { TagRow } from './configuration-form.mapping';

/** `tags` as rows of key and value, checked as the API checks them (at most 20, keys unique and well-formed). */
export function TagsEditor() {
  const { t } = useTranslation('configurations');
  return (
    <Form.List
      name="tags"
      rules={[
        {
          validator: async (_rule, rows?: TagRow[]) => {
            const keys = (rows ?? []).map((row) => row?.key?.trim()).filter(Boolean);
            if (keys.length > MAX_CHAT_CONFIGURATION_TAGS) throw new Error(t('rules.tagsTooMany', { max: MAX_CHAT_CONFIGURATION_TAGS }));
            if (new Set(keys).size !== keys.length) throw new Error(t('rules.tagsDuplicate'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Form.Item label={t('fields.tags')} tooltip={t('help.tags')}>
          {fields.map((field, index) => (
            <Flex key={field.key} gap="small" align="start">
              <Form.Item
                name={[field.name, 'key']}
                rules={[
                  { required: true, whitespace: true, message: t('rules.tagKeyRequired') },
                  { pattern: TAG_KEY_PATTERN, message: t('rules.tagKey') },
                ]}
                style={{ flex: 1 }}
              >
                <Input aria-label={t('fields.tagKey', { index: index + 1 })} placeholder={t('fields.tagKeyPlaceholder')} maxLength={128} />
              </Form.Item>
              <Form.Item name={[field.name, 'value']} rules={[{ max: 256, message: t('rules.max', { max: 256 }) }]} style={{ flex: 1 }}>
                <Input aria-label={t('fields.tagValue', { index: index + 1 })} placeholder={t('fields.tagValuePlaceholder')} maxLength={256} />
              </Form.Item>
              <Button icon={<DeleteOutlined />} aria-label={t('fields.removeTag', { index: index + 1 })} onClick={() => remove(field.name)} />
            </Flex>
          ))}
          {/* `undefined` below the limit, not `false`: an explicit false would enable it in a read-only (disabled) form. */}
          <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= MAX_CHAT_CONFIGURATION_TAGS || undefined} onClick={() => add({ key: '', value: '' })}>
            {t('fields.addTag')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Form.Item>
      )}
    </Form.List>
  );
}
