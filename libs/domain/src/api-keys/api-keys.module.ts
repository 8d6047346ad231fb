import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthenticateApiKeyUseCase } from './authenticate-api-key.usecase.js';
import { BootstrapAdminKeyUseCase } from './bootstrap-admin-key.usecase.js';
import { CreateApiKeyUseCase } from './create-api-key.usecase.js';
import { GetApiKeyUseCase, ListApiKeysUseCase } from './list-api-keys.usecase.js';
import { RevokeApiKeyUseCase } from './revoke-api-key.usecase.js';
import { SendScopeLookup } from './send-scope.lookup.js';

const USE_CASES = [
  AuthenticateApiKeyUseCase,
  BootstrapAdminKeyUseCase,
  CreateApiKeyUseCase,
  GetApiKeyUseCase,
  ListApiKeysUseCase,
  RevokeApiKeyUseCase,
  SendScopeLookup,
];

/** API keys: issuing, listing, revoking, authenticating. Expects DatabaseModule. */
@Module({ imports: [AuditModule], providers: USE_CASES, exports: USE_CASES })
export class ApiKeysModule {}
