import { Injectable } from '@nestjs/common';
import {
  isIanaTimeZone,
  MAX_SEND_STATS_BUCKETS,
  type SendStatsInterval,
  type SendStatsResponse,
} from '@dingrelay/contracts';
import { InvalidInputError } from '../errors/domain.error.js';
import { SendStatsRepository } from '../sends/send-stats.repository.js';

export interface GetSendStatsInput {
  /** ISO-8601 with an offset; inclusive. */
  createdFrom: string;
  /** ISO-8601 with an offset; exclusive. */
  createdTo: string;
  interval: SendStatsInterval;
  /** IANA name; day buckets start at its local midnight. */
  timeZone: string;
  chatConfiguration?: string;
  /** A sender's scope: only sends through these configurations; null or absent for every one. */
  readableConfigurations?: readonly string[] | null;
}

const HOUR_MS = 3_600_000;
/** The longest a bucket can be: a local day that gains an hour. */
const LONGEST_BUCKET_MS: Record<SendStatsInterval, number> = { hour: HOUR_MS, day: 25 * HOUR_MS };

/**
 * Sends per status over time, in hour or local-day buckets, with the recipients and lost-answer calls of the same
 * sends: what an overview chart draws. Each send counts once, in the bucket it was created in, by its status now.
 */
@Injectable()
export class GetSendStatsUseCase {
  constructor(private readonly repository: SendStatsRepository) {}

  async execute(input: GetSendStatsInput): Promise<SendStatsResponse> {
    const { createdFrom, createdTo, interval, timeZone } = input;
    const from = Date.parse(createdFrom);
    const to = Date.parse(createdTo);
    if (!(from < to)) throw new InvalidInputError('createdFrom', 'must be before createdTo');
    if (!isIanaTimeZone(timeZone)) throw new InvalidInputError('timeZone', 'must be an IANA time zone name (Area/Location) such as Asia/Shanghai, or UTC');
    const max = MAX_SEND_STATS_BUCKETS[interval];
    const overLimit = () =>
      new InvalidInputError('createdTo', `spans more than ${max} ${interval} buckets from createdFrom in ${timeZone}; at most ${max}${interval === 'hour' ? ' (use interval=day)' : ''}`);
    // Surely too long, whatever the zone: refused before Postgres generates a single boundary.
    if (to - from > (max + 1) * LONGEST_BUCKET_MS[interval]) throw overLimit();
    const starts = await this.repository.bucketStarts({ createdFrom, createdTo }, interval, timeZone, max + 1);
    if (starts.length > max) throw overLimit();

    const counts = await this.repository.count(
      { createdFrom, createdTo, chatConfiguration: input.chatConfiguration, readableConfigurations: input.readableConfigurations },
      starts,
    );
    const buckets = counts.buckets.map((sends, i) => ({ start: toIsoMillis(starts[i]!), sends: withTotal(sends) }));
    const sends = withTotal(
      counts.buckets.reduce((sum, bucket) => {
        for (const [status, n] of Object.entries(bucket)) sum[status as keyof typeof sum] += n;
        return sum;
      }, zeroLike(counts.buckets[0]!)),
    );
    return {
      createdFrom: new Date(from).toISOString(),
      createdTo: new Date(to).toISOString(),
      interval,
      timeZone,
      buckets,
      sends,
      recipients: withTotal(counts.recipients),
      ambiguousCalls: counts.ambiguousCalls,
    };
  }
}

function withTotal<T extends Record<string, number>>(counts: T): T & { total: number } {
  return { total: Object.values(counts).reduce((sum, n) => sum + n, 0), ...counts };
}

function zeroLike<T extends Record<string, number>>(counts: T): T {
  return Object.fromEntries(Object.keys(counts).map((k) => [k, 0])) as T;
}

/** Postgres' microsecond text to the API's millisecond form. */
function toIsoMillis(iso: string): string {
  return new Date(iso).toISOString();
}
