import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ChatConfigurationsConfig,
  ChatConfigurationsModule,
  ConfigError,
  DatabaseModule,
  ReencryptSecretsUseCase,
  validateConfig,
} from '@dingrelay/domain';

@Module({})
class SecretsCommandRoot {}

/**
 * `npm run secrets:reencrypt [-- --name <configuration> …]`: after a new key is put first in SECRET_ENCRYPTION_KEYS
 * (the old one kept after it), re-encrypts every configuration still under an older key. Prints one JSON summary.
 * Exit 0 when nothing is left under an old key, 2 when some rows are under a key the variable does not list, 1 when
 * some failed to decrypt.
 */
async function main(): Promise<number> {
  const config = validateConfig(ChatConfigurationsConfig, process.env);
  const names = process.argv.flatMap((arg, i, all) => (arg === '--name' && all[i + 1] ? [all[i + 1]!] : []));
  const app = await NestFactory.createApplicationContext(
    {
      module: SecretsCommandRoot,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'dingrelay-secrets-reencrypt', migrate: false }),
        ChatConfigurationsModule.forRoot({ secretEncryptionKeys: config.SECRET_ENCRYPTION_KEYS }),
      ],
    },
    { logger: ['error', 'warn'] },
  );
  try {
    const result = await app.get(ReencryptSecretsUseCase).execute({ names: names.length > 0 ? names : undefined });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.failed.length > 0) return 1;
    return result.unknownKey.length > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : `secrets:reencrypt failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
