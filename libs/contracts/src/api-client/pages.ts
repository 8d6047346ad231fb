/** Any of the API's keyset pages: items and the token of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/**
 * Follows `nextToken` from the first page to the last, yielding each page:
 * `for await (const page of pages((nextToken) => client.listSends({ status: 'completed', nextToken })))`.
 */
export async function* pages<T, P extends Page<T> = Page<T>>(fetchPage: (nextToken: string | undefined) => Promise<P>): AsyncGenerator<P> {
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    yield page;
    nextToken = page.nextToken ?? undefined;
  } while (nextToken !== undefined);
}

/** The items of every page, one by one. */
export async function* pageItems<T>(fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  for await (const page of pages(fetchPage)) yield* page.items;
}
