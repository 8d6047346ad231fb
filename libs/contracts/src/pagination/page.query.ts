// class-transformer's @Type reads design-time type metadata while the class is being defined, so the
// Reflect.metadata polyfill must be installed before this module's decorators run, whoever imports it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-limits.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };
const MAX_TOKEN_LENGTH = 512;

// A mixin's constructor type must take `any[]` (TS2545), whatever the base.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** The page fields every listing accepts. */
export interface PageFields {
  maxResults?: number;
  MaxResults?: number;
  nextToken?: string;
  NextToken?: string;
}

/**
 * Adds keyset paging to a query class: `maxResults` (1–1000) and an opaque `nextToken`, also accepted in the
 * `MaxResults`/`NextToken` spelling of the cloud APIs auditors script against. A mixin rather than only a base
 * class so that a query can have a filter base class too (the export shares the filters but not the paging).
 */
export function Paged<TBase extends Constructor>(Base: TBase) {
  class PagedQuery extends Base implements PageFields {
    /** Page size, 1–1000 (default 100). Query strings arrive as text, hence the conversion. */
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    maxResults?: number;

    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    MaxResults?: number;

    /** Opaque cursor from the previous page's `nextToken`; absent for the first page. */
    @IsOptional()
    @IsString()
    @IsNotEmpty()
    @MaxLength(MAX_TOKEN_LENGTH)
    nextToken?: string;

    @IsOptional()
    @IsString()
    @IsNotEmpty()
    @MaxLength(MAX_TOKEN_LENGTH)
    NextToken?: string;
  }
  return PagedQuery;
}

/** The reusable base for a listing with no other base class: `class ListThingsQuery extends PageQuery { … }`. */
export class PageQuery extends Paged(Object) {}

/** The page asked for, whichever spelling was used (the camelCase one wins if both are given). */
export function pageRequest(query: PageFields): { maxResults: number; nextToken?: string } {
  const nextToken = query.nextToken ?? query.NextToken;
  return { maxResults: query.maxResults ?? query.MaxResults ?? DEFAULT_PAGE_SIZE, ...(nextToken ? { nextToken } : {}) };
}
