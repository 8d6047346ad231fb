import {
  CHAT_CONFIGURATION_NAME_PATTERN,
  CHAT_CONFIGURATION_STATUSES,
  CHAT_CONFIGURATION_TYPES,
  MASKED_SECRET,
} from '@dingrelay/contracts/client';
import { Col, Divider, Form, type FormInstance, Input, InputNumber, Row, Select, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigurationFormValues } from './configuration-form.mapping';
import { TagsEditor } from './tags.editor';

/** The API fields this form has a field for; a 400 naming another one stays in the alert above the form. */
export const CONFIGURATION_FORM_FIELDS = new Set([
  'name',
  'type',
  'status',
  'ramRole',
  'resourceGroupId',
  'tags',
  'configuration.clientId',
  'configuration.clientSecret',
  'configuration.robotCode',
  'configuration.templateId',
  'configuration.callsPerSecond',
  'configuration.paceUtilization',
  'configuration.monthlyCallQuota',
]);

export interface ConfigurationFormProps {
  form: FormInstance<ConfigurationFormValues>;
  mode: 'create' | 'edit';
  initialValues: ConfigurationFormValues;
  /** Editing: whether a client secret is stored (then an empty field keeps it). */
  hasStoredSecret?: boolean;
  disabled?: boolean;
  onFinish: (values: ConfigurationFormValues) => void;
  /** Errors and buttons, under the fields. */
  footer: ReactNode;
}

/**
 * Every field of a chat configuration, checked in the browser by the API's own rules (name pattern, lengths,
 * ranges, the DingTalk app's required fields) so most mistakes never leave the page.
 */
export function ConfigurationForm({ form, mode, initialValues, hasStoredSecret = false, disabled, onFinish, footer }: ConfigurationFormProps) {
  const { t } = useTranslation('configurations');
  const { token } = theme.useToken();
  const type = Form.useWatch('type', form) ?? initialValues.type;
  const dingTalk = type === 'DingTalk';
  const requiredForDingTalk = { required: dingTalk, whitespace: true, message: t('rules.requiredForDingTalk') };
  const max = (length: number) => ({ max: length, message: t('rules.max', { max: length }) });

  return (
    <Form<ConfigurationFormValues> form={form} layout="vertical" initialValues={initialValues} disabled={disabled} onFinish={onFinish} scrollToFirstError>
      <Row gutter={token.marginMD}>
        <Col xs={24} md={12}>
          <Form.Item
            name="name"
            label={t('fields.name')}
            tooltip={t('help.name')}
            rules={mode === 'create' ? [{ required: true, message: t('rules.required') }, { pattern: CHAT_CONFIGURATION_NAME_PATTERN, message: t('rules.name') }] : []}
          >
            <Input disabled={mode === 'edit' ? true : undefined} maxLength={128} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="type" label={t('fields.type')} rules={[{ required: true, message: t('rules.required') }]}>
            <Select options={CHAT_CONFIGURATION_TYPES.map((value) => ({ value, label: t(`type.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="status" label={t('fields.status')} tooltip={t('help.status')}>
            <Select options={CHAT_CONFIGURATION_STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="ramRole" label={t('fields.ramRole')} tooltip={t('help.ramRole')} rules={[max(256)]}>
            <Input maxLength={256} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="resourceGroupId" label={t('fields.resourceGroupId')} tooltip={t('help.ramRole')} rules={[max(256)]}>
            <Input maxLength={256} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <TagsEditor />

      <Divider titlePlacement="start">{t('sections.app')}</Divider>
      <Row gutter={token.marginMD}>
        <Col xs={24} md={12}>
          <Form.Item name={['configuration', 'clientId']} label={t('fields.clientId')} tooltip={t('help.clientId')} rules={[requiredForDingTalk, max(128)]}>
            <Input maxLength={128} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name={['configuration', 'clientSecret']}
            label={t('fields.clientSecret')}
            extra={mode === 'edit' && hasStoredSecret ? t('help.clientSecretKept', { masked: MASKED_SECRET }) : t('help.clientSecret')}
            rules={[{ ...requiredForDingTalk, required: dingTalk && !hasStoredSecret }, max(256)]}
          >
            <Input.Password maxLength={256} autoComplete="new-password" placeholder={mode === 'edit' && hasStoredSecret ? MASKED_SECRET : undefined} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['configuration', 'robotCode']} label={t('fields.robotCode')} tooltip={t('help.robotCode')} rules={[requiredForDingTalk, max(128)]}>
            <Input maxLength={128} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['configuration', 'templateId']} label={t('fields.templateId')} rules={[max(256)]}>
            <Input maxLength={256} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('sections.pace')}</Divider>
      <Row gutter={token.marginMD}>
        <Col xs={24} md={8}>
          <Form.Item name={['configuration', 'callsPerSecond']} label={t('fields.callsPerSecond')} tooltip={t('help.callsPerSecond')} rules={[range(0.1, 1000)]}>
            <InputNumber min={0.1} max={1000} step={1} placeholder={t('serverDefault')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={['configuration', 'paceUtilization']} label={t('fields.paceUtilization')} tooltip={t('help.paceUtilization')} rules={[range(0.1, 1)]}>
            <InputNumber min={0.1} max={1} step={0.05} placeholder={t('serverDefault')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['configuration', 'monthlyCallQuota']}
            label={t('fields.monthlyCallQuota')}
            tooltip={t('help.monthlyCallQuota')}
            rules={[{ type: 'integer', min: 1, message: t('rules.quota') }]}
          >
            <InputNumber min={1} precision={0} step={1000} placeholder={t('serverDefault')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      {footer}
    </Form>
  );

  function range(min: number, maxValue: number) {
    return { type: 'number' as const, min, max: maxValue, message: t('rules.range', { min, max: maxValue }) };
  }
}
