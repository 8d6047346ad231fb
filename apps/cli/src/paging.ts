import { MAX_PAGE_SIZE, type Page, type PageParams, type Paged } from '@dingrelay/contracts/client';
import { integerOption, type OptionSpecs, type OptionValues, stringOption } from './args.js';
import { UsageError } from './exit-codes.js';
import type { Output } from './output.js';

export const PAGE_OPTIONS = {
  'max-results': { type: 'string' },
  'next-token': { type: 'string' },
  all: { type: 'boolean' },
} as const satisfies OptionSpecs;

export const PAGE_OPTIONS_HELP = `  --max-results <n>      page size, 1-${MAX_PAGE_SIZE}
  --next-token <token>   the page after the one that printed this token
  --all                  follow every page (one table, or one JSON document with nextToken null)`;

/**
 * One page, or with `--all` every page joined (`nextToken` null). A single page that has more after it says how
 * to get the next one on stderr, so stdout stays the result.
 */
export async function fetchListing<T, P extends Page<T>>(
  values: OptionValues,
  output: Output,
  list: (page: PageParams) => Paged<T, P>,
): Promise<P> {
  const maxResults = integerOption(values, 'max-results', { min: 1, max: MAX_PAGE_SIZE });
  const nextToken = stringOption(values, 'next-token');
  if (!values['all']) {
    const page = await list({ maxResults, nextToken });
    if (page.nextToken) output.note(`more results: add --next-token ${page.nextToken} (or --all)`);
    return page;
  }
  if (nextToken !== undefined) throw new UsageError('--all starts at the first page; leave out --next-token');
  let last: P | undefined;
  const items: T[] = [];
  for await (const page of list({ maxResults: maxResults ?? MAX_PAGE_SIZE }).pages()) {
    items.push(...page.items);
    last = page;
  }
  return { ...(last as P), items, nextToken: null };
}
