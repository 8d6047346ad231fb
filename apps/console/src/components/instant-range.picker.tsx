import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

/** A time range as the API's filters take it: ISO-8601 instants with the user's offset; either end may be open. */
export type InstantRange = [from: string | undefined, to: string | undefined];

/** `2026-12-01T08:00:00+08:00`: the instant the user picked, written in their own time zone. */
export function toInstant(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DDTHH:mm:ssZ') : undefined;
}

/**
 * Date-and-time range in the browser's time zone, for a form field holding an `InstantRange` (antd's `Form.Item`
 * passes `id`, `value` and `onChange`). Open ends are allowed: "since Monday" needs no end.
 */
export function InstantRangePicker({
  id,
  value,
  onChange,
  placeholder,
}: {
  id?: string;
  value?: InstantRange;
  onChange?: (value: InstantRange) => void;
  placeholder?: [string, string];
}) {
  const [from, to] = value ?? [undefined, undefined];
  return (
    <DatePicker.RangePicker
      id={id}
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      allowEmpty={[true, true]}
      placeholder={placeholder}
      value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
      onChange={(dates) => onChange?.([toInstant(dates?.[0]), toInstant(dates?.[1])])}
      style={{ width: '100%' }}
    />
  );
}
