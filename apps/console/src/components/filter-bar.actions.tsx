import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';

/** Reset, then search, at the right end of a list's filter bar. The labels are the page's own. */
export function FilterBarActions({ searchLabel, resetLabel, onReset }: { searchLabel: string; resetLabel: string; onReset: () => void }) {
  return (
    <Flex justify="flex-end" gap="small">
      <Button icon={<UndoOutlined />} onClick={onReset}>
        {resetLabel}
      </Button>
      <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
        {searchLabel}
      </Button>
    </Flex>
  );
}
