import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, type FormInstance, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  BLANK_ENTRY,
  COMMON_LOCALES,
  type EntryNameRow,
  ICON_PATTERN,
  isHttpsUrl,
  LOCALE_PATTERN,
  MAX_ENTRY_LOCALES,
  MAX_ENTRY_NAME_LENGTH,
  MAX_QUICK_ENTRIES,
  type QuickEntriesFormValues,
  type QuickEntryFormRow,
} from './quick-entries.mapping';

/** The API fields the editor has a field for (`plugins`, `plugins.N.name|icon|pcUrl|mobileUrl`). */
export function isQuickEntryField(apiField: string): boolean {
  return apiField === 'plugins' || /^plugins\.\d+\.(name|icon|pcUrl|mobileUrl)$/.test(apiField);
}

/** The robot's whole list of quick entries (1–10), each with its label per locale, icon and https links. */
export function QuickEntriesForm({ form, initialValues }: { form: FormInstance<QuickEntriesFormValues>; initialValues: QuickEntriesFormValues }) {
  const { t } = useTranslation('configurations');
  const httpsRule = { validator: async (_rule: unknown, value?: string) => { if (value && value.trim() !== '' && !isHttpsUrl(value.trim())) throw new Error(t('plugins.rules.https')); } };

  return (
    <Form<QuickEntriesFormValues> form={form} layout="vertical" initialValues={initialValues} scrollToFirstError>
      <Form.List
        name="plugins"
        rules={[
          {
            validator: async (_rule, rows?: QuickEntryFormRow[]) => {
              if (!rows || rows.length === 0) throw new Error(t('plugins.rules.atLeastOne'));
              if (rows.length > MAX_QUICK_ENTRIES) throw new Error(t('plugins.rules.atMost', { max: MAX_QUICK_ENTRIES }));
            },
          },
        ]}
      >
        {(entries, { add, remove }, { errors }) => (
          <Flex vertical gap="middle">
            {entries.map((entry, index) => (
              <Card
                key={entry.key}
                size="small"
                title={t('plugins.entry', { index: index + 1 })}
                extra={
                  <Button size="small" danger icon={<DeleteOutlined />} disabled={entries.length <= 1} onClick={() => remove(entry.name)}>
                    {t('plugins.removeEntry', { index: index + 1 })}
                  </Button>
                }
              >
                <EntryNames entryName={entry.name} entryIndex={index} />
                <Form.Item
                  name={[entry.name, 'icon']}
                  label={t('plugins.fields.icon')}
                  tooltip={t('plugins.help.icon')}
                  rules={[{ required: true, whitespace: true, message: t('plugins.rules.iconRequired') }, { pattern: ICON_PATTERN, message: t('plugins.rules.icon') }]}
                >
                  <Input placeholder="@lALPDtXaDkO3j7hgYA" maxLength={256} autoComplete="off" />
                </Form.Item>
                <Form.Item name={[entry.name, 'pcUrl']} label={t('plugins.fields.pcUrl')} rules={[httpsRule]}>
                  <Input placeholder="https://" maxLength={1024} autoComplete="off" />
                </Form.Item>
                <Form.Item name={[entry.name, 'mobileUrl']} label={t('plugins.fields.mobileUrl')} rules={[httpsRule]}>
                  <Input placeholder="https://" maxLength={1024} autoComplete="off" />
                </Form.Item>
              </Card>
            ))}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" icon={<PlusOutlined />} disabled={entries.length >= MAX_QUICK_ENTRIES} onClick={() => add(BLANK_ENTRY)}>
              {t('plugins.addEntry', { max: MAX_QUICK_ENTRIES })}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form>
  );
}

/** An entry's label per locale; the list itself is the field `plugins.N.name`, where the API puts its problems. */
function EntryNames({ entryName, entryIndex }: { entryName: number; entryIndex: number }) {
  const { t } = useTranslation('configurations');
  return (
    <Form.List
      name={[entryName, 'name']}
      rules={[
        {
          validator: async (_rule, rows?: EntryNameRow[]) => {
            const locales = (rows ?? []).map((row) => row?.locale).filter(Boolean);
            if (locales.length === 0) throw new Error(t('plugins.rules.nameRequired'));
            if (locales.length > MAX_ENTRY_LOCALES) throw new Error(t('plugins.rules.localesAtMost', { max: MAX_ENTRY_LOCALES }));
            if (new Set(locales).size !== locales.length) throw new Error(t('plugins.rules.localeTwice'));
          },
        },
      ]}
    >
      {(names, { add, remove }, { errors }) => (
        <Form.Item label={t('plugins.fields.name')} required tooltip={t('plugins.help.name')}>
          {names.map((name, index) => (
            <Flex key={name.key} gap="small" align="start">
              <Form.Item
                name={[name.name, 'locale']}
                rules={[{ required: true, message: t('plugins.rules.localeRequired') }, { pattern: LOCALE_PATTERN, message: t('plugins.rules.locale') }]}
                style={{ width: 240 }}
              >
                <Select
                  aria-label={t('plugins.fields.locale', { entry: entryIndex + 1, index: index + 1 })}
                  options={COMMON_LOCALES.map((locale) => ({ value: locale, label: `${locale} · ${t(`plugins.locales.${locale}`)}` }))}
                />
              </Form.Item>
              <Form.Item
                name={[name.name, 'text']}
                rules={[
                  { required: true, whitespace: true, message: t('plugins.rules.textRequired') },
                  { validator: async (_rule, value?: string) => { if (value && [...value].length > MAX_ENTRY_NAME_LENGTH) throw new Error(t('rules.max', { max: MAX_ENTRY_NAME_LENGTH })); } },
                ]}
                style={{ flex: 1 }}
              >
                <Input aria-label={t('plugins.fields.text', { entry: entryIndex + 1, index: index + 1 })} autoComplete="off" />
              </Form.Item>
              <Button icon={<DeleteOutlined />} aria-label={t('plugins.removeLocale', { index: index + 1 })} disabled={names.length <= 1} onClick={() => remove(name.name)} />
            </Flex>
          ))}
          <Button size="small" type="dashed" icon={<PlusOutlined />} disabled={names.length >= MAX_ENTRY_LOCALES} onClick={() => add({ locale: undefined, text: '' })}>
            {t('plugins.addLocale')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Form.Item>
      )}
    </Form.List>
  );
}
