import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { CreateApiKeyRequest, toApiErrorDetails } from '@dingrelay/contracts';
import {
  ApiKeysModule,
  ConfigError,
  CreateApiKeyUseCase,
  DatabaseModule,
  DEFAULT_CHAT_CONFIGURATION_NAME,
  DatabaseSetupError,
  DomainError,
  explainDatabaseError,
  generateApiKey,
  InfrastructureConfig,
  systemActor,
  validateConfig,
} from '@dingrelay/domain';

@Module({})
class ApiKeyCommandRoot {}

const USAGE = `usage: npm run api-key:create -- --role admin|sender|auditor --name <name>
         [--chat-configurations <name,name…>] [--expires-at <ISO-8601>] [--output <file>]
       npm run api-key:create -- --generate-only    (a new key stored nowhere, for BOOTSTRAP_ADMIN_API_KEY)

Prints the new key on stdout (or writes it to --output, readable by its owner only); it is never shown again.
Reads DATABASE_URL; with DATABASE_MIGRATION_URL (the schema owner) set, applies pending migrations first, so it
works before the API's first start.`;

/** `npm run api-key:create`: issues a key from the command line, e.g. the first admin key of a deployment. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      'chat-configurations': { type: 'string' },
      'expires-at': { type: 'string' },
      output: { type: 'string' },
      'generate-only': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values['generate-only']) {
    // A well-formed key stored nowhere: a value for BOOTSTRAP_ADMIN_API_KEY.
    process.stdout.write(`${generateApiKey().key}\n`);
    return 0;
  }
  // The same validation as POST /v1/api-keys.
  const request = plainToInstance(CreateApiKeyRequest, {
    role: values.role,
    name: values.name,
    chatConfigurations: values['chat-configurations']?.split(',').map((s) => s.trim()).filter(Boolean),
    expiresAt: values['expires-at'],
  });
  const problems = toApiErrorDetails(validateSync(request, { forbidUnknownValues: true }));
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((p) => `--${flag(p.field)}: ${p.message}`).join('\n')}\n\n${USAGE}\n`);
    return 2;
  }

  const config = validateConfig(InfrastructureConfig, process.env);
  // The default configuration may not exist yet (the API creates it at its first start); it may be named anyway.
  const defaultChatConfiguration = process.env['DEFAULT_CHAT_CONFIGURATION_NAME'] || DEFAULT_CHAT_CONFIGURATION_NAME;
  const app = await NestFactory.createApplicationContext(
    {
      module: ApiKeyCommandRoot,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          migrationUrl: config.DATABASE_MIGRATION_URL,
          allowPrivilegedRole: config.DATABASE_ALLOW_PRIVILEGED_ROLE,
          defaultChatConfiguration,
          poolSize: 2,
          applicationName: 'dingrelay-api-key-create',
          migrate: true,
        }),
        ApiKeysModule,
      ],
    },
    { logger: ['error', 'warn'] },
  );
  try {
    const created = await app.get(CreateApiKeyUseCase).execute({
      name: request.name,
      role: request.role,
      chatConfigurations: request.chatConfigurations ?? null,
      expiresAt: request.expiresAt ? new Date(request.expiresAt) : null,
      defaultChatConfiguration,
      actor: systemActor('cli'),
    });
    const { apiKey } = created;
    const what = `${apiKey.role} key "${apiKey.name}" (id ${apiKey.id}, prefix drk_${apiKey.prefix}_)`;
    if (values.output) {
      writeFileSync(values.output, `${created.key}\n`, { mode: 0o600 });
      process.stderr.write(`Created ${what}; the key is in ${values.output}.\n`);
    } else {
      process.stderr.write(`Created ${what}. It is shown this once; store it now:\n`);
      process.stdout.write(`${created.key}\n`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

function flag(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

main().then(
  (code) => process.exit(code),
  (thrown: unknown) => {
    const error = explainDatabaseError(thrown, { DATABASE_URL: process.env['DATABASE_URL'] ?? '', DATABASE_MIGRATION_URL: process.env['DATABASE_MIGRATION_URL'] });
    const message =
      error instanceof ConfigError || error instanceof DomainError || error instanceof DatabaseSetupError
        ? error.message
        : `api-key:create failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
