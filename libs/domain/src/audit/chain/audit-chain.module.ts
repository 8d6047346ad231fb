import { type DynamicModule, Module } from '@nestjs/common';
import { AuditChainRepository } from './audit-chain.repository.js';
import { AUDIT_CHAIN_SETTINGS, type AuditChainSettings } from './audit-chain.settings.js';
import { AuditDigestPublisher } from './audit-digest.publisher.js';
import { VerifyAuditChainUseCase } from './verify-audit-chain.usecase.js';

/**
 * The audit log's hash chain read back: verifying it (the API), and publishing signed digests of it (the worker,
 * with `publish`). The chain itself is written by the database as events are inserted.
 */
@Module({})
export class AuditChainModule {
  static forRoot(settings: AuditChainSettings): DynamicModule {
    const providers = [{ provide: AUDIT_CHAIN_SETTINGS, useValue: settings }, AuditChainRepository, VerifyAuditChainUseCase, AuditDigestPublisher];
    return { module: AuditChainModule, providers, exports: [VerifyAuditChainUseCase, AuditDigestPublisher] };
  }
}
