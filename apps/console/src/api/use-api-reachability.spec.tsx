import { DingrelayApiError, DingrelayConnectionError } from '@dingrelay/contracts/client';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { createConsoleQueryClient } from './query-client';
import { retryDelayMs, shouldRetryRead } from './retry-policy';
import { useApiReachability } from './use-api-reachability';

const unreachable = () => new DingrelayConnectionError({ message: 'dingrelay could not be reached: ECONNREFUSED', timedOut: false, errorCode: 'ECONNREFUSED', method: 'GET', url: 'http://x/v1/sends' });
const apiError = (status: number, retryAfterSeconds: number | null = null) =>
  new DingrelayApiError({ status, code: status === 503 ? 'SERVICE_UNAVAILABLE' : 'VALIDATION_FAILED', message: 'x', retryAfterSeconds, method: 'GET', path: '/v1/sends' });

/** A page's read, and what the layout's banner would say meanwhile. */
function Reader({ read }: { read: () => Promise<string> }) {
  const reachability = useApiReachability();
  const query = useQuery({
    queryKey: ['reader'],
    queryFn: read,
    // The console's policy decides whether to retry; only the wait is shortened for the test.
    retryDelay: 20,
  });
  return (
    <>
      <output data-testid="reachability">{reachability}</output>
      <output data-testid="data">{query.data ?? ''}</output>
    </>
  );
}

/** A read that fails `failures` times (as `failure()`), then answers. */
function renderReader(failures: number, failure: () => Error) {
  let calls = 0;
  const read = async () => {
    calls += 1;
    if (calls <= failures) throw failure();
    return 'answered';
  };
  return render(
    <QueryClientProvider client={createConsoleQueryClient()}>
      <Reader read={read} />
    </QueryClientProvider>,
  );
}

describe('while dingrelay cannot be reached', () => {
  it('reads say unreachable while they retry, and ok once an answer came', async () => {
    renderReader(4, unreachable);
    await waitFor(() => expect(screen.getByTestId('reachability').textContent).toBe('unreachable'));
    await waitFor(() => expect(screen.getByTestId('data').textContent).toBe('answered'));
    expect(screen.getByTestId('reachability').textContent).toBe('ok');
  });

  it('a 503 is "unavailable" and retried the same way', async () => {
    renderReader(2, () => apiError(503));
    await waitFor(() => expect(screen.getByTestId('reachability').textContent).toBe('unavailable'));
    await waitFor(() => expect(screen.getByTestId('data').textContent).toBe('answered'));
    expect(screen.getByTestId('reachability').textContent).toBe('ok');
  });
});

describe('the read retry policy', () => {
  it('retries the network, 429 and 502/503/504, never a 4xx the user must fix', () => {
    expect([unreachable(), apiError(429), apiError(502), apiError(503), apiError(504)].map((e) => shouldRetryRead(1, e))).toEqual([true, true, true, true, true]);
    expect([apiError(400), apiError(401), apiError(403), apiError(404), apiError(409)].map((e) => shouldRetryRead(1, e))).toEqual([false, false, false, false, false]);
  });

  it("backs off 2 s, 4 s … up to 15 s, and waits what the API's Retry-After says", () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, unreachable()))).toEqual([2_000, 4_000, 8_000, 15_000, 15_000]);
    expect(retryDelayMs(1, apiError(503, 7))).toBe(7_000);
  });
});
