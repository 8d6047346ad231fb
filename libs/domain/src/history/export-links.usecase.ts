import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain.error.js';
import { EXPORT_SETTINGS, type ExportSettings } from './export-history.usecase.js';
import { type ExportLinkRequest, ExportLinkStore, type StoredExportLink } from './export-link.store.js';
import { recipientConditions, sendConditions, SqlParams } from './history-sql.js';

/** 32 random bytes, base64url: 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CreatedExportLink {
  /** The secret part of the link; shown once, stored only as its SHA-256. */
  token: string;
  expiresAt: Date;
}

/**
 * A one-time download link for one export, for a browser's own download manager (which cannot send an
 * Authorization header): the token stands in for the key that created it, for one download, for EXPORT_LINK_TTL_MS.
 * The request is checked here as the export itself would check it, so a link that was created can run.
 */
@Injectable()
export class CreateExportLinkUseCase {
  constructor(
    private readonly store: ExportLinkStore,
    @Inject(EXPORT_SETTINGS) private readonly settings: ExportSettings,
  ) {}

  async execute(apiKeyId: string, request: ExportLinkRequest): Promise<CreatedExportLink> {
    checkFilters(request);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.linkTtlMs);
    await this.store.save(hashOf(token), { apiKeyId, request }, this.settings.linkTtlMs);
    return { token, expiresAt };
  }
}

/**
 * Consumes a link: the first caller with its token gets it, every later one (and any other token) nothing.
 * `peek` only looks, so a caller can find out whether there is anything to do before spending on it (or answer a
 * HEAD request without using the link up).
 */
@Injectable()
export class RedeemExportLinkUseCase {
  constructor(private readonly store: ExportLinkStore) {}

  async peek(token: string): Promise<StoredExportLink | undefined> {
    // Not a token this API could have issued: no need to ask Redis.
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return this.store.peek(hashOf(token));
  }

  async execute(token: string): Promise<StoredExportLink | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return this.store.take(hashOf(token));
  }
}

/** The checks the export makes beyond the request's shape (a time range that ends before it starts), named as in the body. */
function checkFilters(request: ExportLinkRequest): void {
  try {
    if (request.export === 'sends') sendConditions(request.filters, new SqlParams());
    else recipientConditions(request.filters, new SqlParams());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = error.details.map((d) => ({ ...d, field: `filters.${d.field}` }));
    throw new DomainError(error.code, error.message.replace(/^Invalid (\S+)/, 'Invalid filters.$1'), details);
  }
}
