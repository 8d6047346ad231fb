import type { AuditChainVerification } from '@dingrelay/contracts/client';
import { positionalArgs, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { CliFailure, ExitCode, UsageError } from '../exit-codes.js';
import { readTextInput } from '../read-input.js';

interface DigestArgument {
  count: number;
  hash: string;
  at?: string;
  signature?: string;
}

export const auditVerifyCommand: Command = {
  words: ['audit', 'verify'],
  summary: 'Recompute the audit log\'s hash chain; name its first broken link',
  help: `Usage: dingrelay audit verify [--digest <file>]

Recomputes every audit event's hash on the server and checks each links to the one before. With a digest the worker
published (AUDIT_DIGEST_FILE, AUDIT_DIGEST_URL or its log), also checks the chain still reaches it unchanged: a
rewritten, re-hashed or cut-off tail fails. Exits 0 when intact, 8 when a link is broken or the digest's signature
is invalid. On a large log it takes a while: raise --timeout.

Options:
  --digest <file>   a digest: a file of them, one JSON document a line (the last is used), or - for stdin`,
  options: { digest: { type: 'string' } },
  async run({ values, args, io, output, client }) {
    positionalArgs(args, []);
    const source = stringOption(values, 'digest');
    const digest = source === undefined ? undefined : parseDigest(await readTextInput(source, io.stdin, 'digest'), source);
    const result = await client().verifyAuditChain(digest);
    output.result(result, () => describe(result));
    if (!result.intact) throw new CliFailure(`the audit chain is broken: ${result.firstBroken?.message ?? 'see above'}`, ExitCode.AuditChainBroken);
    if (result.digest?.signature === 'invalid') {
      throw new CliFailure('the digest\'s signature is invalid: it was not signed with the AUDIT_DIGEST_KEY the API has', ExitCode.AuditChainBroken);
    }
  },
};

/** The last non-empty line of a digest file (the worker appends one per interval). */
function parseDigest(text: string, source: string): DigestArgument {
  const line = text.trim().split('\n').filter((l) => l.trim() !== '').at(-1);
  if (!line) throw new UsageError(`${source} holds no digest`);
  let parsed: Partial<Record<keyof DigestArgument, unknown>>;
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch (error) {
    throw new UsageError(`the last line of ${source} is not a digest (JSON): ${(error as Error).message}`);
  }
  if (typeof parsed.count !== 'number' || typeof parsed.hash !== 'string') {
    throw new UsageError(`the last line of ${source} is not a digest: it needs a numeric count and a hash`);
  }
  return {
    count: parsed.count,
    hash: parsed.hash,
    at: typeof parsed.at === 'string' ? parsed.at : undefined,
    signature: typeof parsed.signature === 'string' ? parsed.signature : undefined,
  };
}

function describe(result: AuditChainVerification): string {
  const lines: string[] = [];
  const head = result.head ? `; newest at position ${result.head.position}, hash ${result.head.hash}` : '';
  if (result.intact) lines.push(`intact: ${result.checked} events checked${head}`);
  else {
    const broken = result.firstBroken!;
    lines.push(
      `BROKEN at position ${broken.position}${broken.eventId ? ` (event ${broken.eventId})` : ''}: ${broken.reason}`,
      `  ${broken.message}`,
      `  expected hash ${broken.expectedHash}`,
      `  found    ${broken.foundHash ?? '(nothing)'}`,
      `${result.checked} events before it are intact${head}`,
    );
  }
  if (result.digest) lines.push(`digest: ${result.digest.count} events, hash ${result.digest.hash}, signature ${result.digest.signature}`);
  return `${lines.join('\n')}\n`;
}
