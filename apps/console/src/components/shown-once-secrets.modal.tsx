import { Alert, Button, Descriptions, type DescriptionsProps, Flex, Modal, Typography } from 'antd';

/**
 * The one time a secret is shown (a new API key, a configuration's callback values), under a warning that it will not
 * be shown again. The secret lives only in the opening page's state while this dialog is open; closing it drops it,
 * and closing takes a deliberate click: no ✕, no Esc, no click outside. `items` is what is shown, `null` once there is
 * nothing (the dialog is closing).
 */
export function ShownOnceSecretsModal({
  open,
  title,
  width,
  warningTitle,
  warning,
  doneLabel,
  onClose,
  items,
}: {
  open: boolean;
  title: string;
  width: number;
  warningTitle: string;
  warning: string;
  doneLabel: string;
  onClose: () => void;
  items: DescriptionsProps['items'] | null;
}) {
  return (
    <Modal
      open={open}
      title={title}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      width={width}
      footer={
        <Button type="primary" onClick={onClose}>
          {doneLabel}
        </Button>
      }
    >
      {items && (
        <Flex vertical gap="middle">
          <Alert type="warning" showIcon title={warningTitle} description={warning} />
          <Descriptions column={1} bordered size="small" items={items} />
        </Flex>
      )}
    </Modal>
  );
}

/** A secret in full, with a button that copies it; the tooltips say what it copies and that it did. */
export function CopyableSecret({ value, copyLabel, copiedLabel }: { value: string; copyLabel: string; copiedLabel: string }) {
  return (
    <Typography.Text code copyable={{ text: value, tooltips: [copyLabel, copiedLabel] }} style={{ wordBreak: 'break-all' }}>
      {value}
    </Typography.Text>
  );
}
