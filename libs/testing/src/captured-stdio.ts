/** Runs `work` with stdout and stderr captured (not passed through); returns the non-empty lines written to each. */
export async function captureStdio(work: () => void | Promise<void>): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const original = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => out.push(String(chunk))) as unknown as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk))) as unknown as typeof process.stderr.write;
  try {
    await work();
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
  const lines = (chunks: string[]) => chunks.join('').split('\n').filter((l) => l.length > 0);
  return { out: lines(out), err: lines(err) };
}
