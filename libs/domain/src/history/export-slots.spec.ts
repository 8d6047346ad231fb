import { ApiErrorCode } from '@dingrelay/contracts';
import { EXPORT_BUSY_RETRY_AFTER_SECONDS, ExportSlotBusyError, ExportSlots } from './export-slots.js';

function refusal(take: () => unknown): ExportSlotBusyError {
  try {
    take();
  } catch (error) {
    if (error instanceof ExportSlotBusyError) return error;
    throw error;
  }
  throw new Error('the place was given');
}

describe('ExportSlots', () => {
  it('gives one key at most its share, while another key still gets a place', () => {
    const slots = new ExportSlots(2, 1);
    const first = slots.reserve('key-a');
    const busy = refusal(() => slots.reserve('key-a'));
    expect(busy.code).toBe(ApiErrorCode.TooManyRequests);
    expect(busy.retryAfterSeconds).toBe(EXPORT_BUSY_RETRY_AFTER_SECONDS);
    expect(busy.message).toMatch(/This API key is already running 1 export on this server \(at most 1 per key\)/);
    slots.reserve('key-b');
    expect(slots.inUse()).toBe(2);
    first.release();
    expect(slots.inUse('key-a')).toBe(0);
    slots.reserve('key-a');
  });

  it('keeps the global cap whatever the per-key share', () => {
    const slots = new ExportSlots(2, 5);
    slots.reserve('key-a');
    slots.reserve('key-a');
    expect(refusal(() => slots.reserve('key-b')).message).toBe('2 exports are already running on this server; try again when one has finished');
  });

  it('releases once however often release is called', () => {
    const slots = new ExportSlots(2, 2);
    const a = slots.reserve('key-a');
    slots.reserve('key-a');
    a.release();
    a.release();
    expect(slots.inUse()).toBe(1);
    expect(slots.inUse('key-a')).toBe(1);
  });
});
