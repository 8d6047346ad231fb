/** Any of the API's keyset pages: items and the token of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/**
 * What a listing method returns: a promise of one page, and an async iterable of every item on every page.
 *
 * ```ts
 * const page = await client.listSends({ status: 'completed', maxResults: 50 }); // one page: { items, nextToken }
 * for await (const send of client.listSends({ status: 'completed' })) { … }    // every send, page after page
 * for await (const page of client.listSends({ status: 'completed' }).pages()) { … }
 * ```
 *
 * Nothing is asked of the API until it is awaited or iterated; the first page is asked for once and shared by both.
 * Pages after the first follow `nextToken`, with the same filters, page size, signal and timeout.
 */
export class Paged<T, P extends Page<T> = Page<T>> implements Promise<P>, AsyncIterable<T> {
  readonly [Symbol.toStringTag] = 'Paged';
  readonly #fetchPage: (nextToken: string | undefined) => Promise<P>;
  readonly #startToken: string | undefined;
  #first: Promise<P> | undefined;

  /** `fetchPage(nextToken)` asks for one page; `startToken` is where the first one starts (the caller's `nextToken`). */
  constructor(fetchPage: (nextToken: string | undefined) => Promise<P>, startToken?: string) {
    this.#fetchPage = fetchPage;
    this.#startToken = startToken;
  }

  /** The first page (asked for on first use, then remembered; asked again if it failed). */
  firstPage(): Promise<P> {
    if (this.#first) return this.#first;
    const first = this.#fetchPage(this.#startToken);
    this.#first = first;
    first.catch(() => {
      if (this.#first === first) this.#first = undefined;
    });
    return first;
  }

  then<R1 = P, R2 = never>(
    onfulfilled?: ((page: P) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<P | R> {
    return this.firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<P> {
    return this.firstPage().finally(onfinally);
  }

  /** Every page, from the first to the one whose `nextToken` is null. */
  async *pages(): AsyncGenerator<P, void, undefined> {
    let page = await this.firstPage();
    yield page;
    while (page.nextToken) {
      page = await this.#fetchPage(page.nextToken);
      yield page;
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }
}
