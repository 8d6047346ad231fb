import { isTransactionConflict } from './retrying-transaction.js';

describe('isTransactionConflict', () => {
  it('is true for a deadlock or a serialization failure, as pg reports them or as TypeORM wraps them', () => {
    expect(isTransactionConflict({ code: '40P01' })).toBe(true);
    expect(isTransactionConflict({ code: '40001' })).toBe(true);
    expect(isTransactionConflict({ driverError: { code: '40P01' } })).toBe(true);
  });

  it('is false for errors a second run would repeat', () => {
    expect(isTransactionConflict({ code: '23505' })).toBe(false); // unique_violation
    expect(isTransactionConflict({ code: '57014' })).toBe(false); // query_canceled
    expect(isTransactionConflict(new Error('deadlock detected'))).toBe(false);
    expect(isTransactionConflict(undefined)).toBe(false);
    expect(isTransactionConflict('40P01')).toBe(false);
  });
});
