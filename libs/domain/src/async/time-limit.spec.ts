import { finishedWithin, within } from './time-limit.js';

const never = new Promise<never>(() => undefined);

describe('within', () => {
  it("passes on the work's result or rejection when it comes first", async () => {
    await expect(within(Promise.resolve(42), 60_000)).resolves.toBe(42);
    await expect(within(Promise.reject(new Error('refused')), 60_000)).rejects.toThrow('refused');
  });

  it('rejects naming the limit when the work takes longer', async () => {
    await expect(within(never, 10)).rejects.toThrow('no answer within 10 ms');
    await expect(within(never, 10, 'queue did not answer')).rejects.toThrow('queue did not answer');
  });
});

describe('finishedWithin', () => {
  it('says whether the work finished in time, and passes on its rejection', async () => {
    await expect(finishedWithin(Promise.resolve('done'), 60_000)).resolves.toBe(true);
    await expect(finishedWithin(never, 10)).resolves.toBe(false);
    await expect(finishedWithin(Promise.reject(new Error('broken')), 60_000)).rejects.toThrow('broken');
  });
});
