import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at boot when the environment cannot run the app; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Builds an app's config class from environment variables (property names are the variable names), applying its
 * defaults and class-validator rules. Each app has exactly one such class, validated once at start-up.
 */
export function validateConfig<T extends object>(
  configClass: new () => T,
  env: Record<string, string | undefined>,
): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(configClass, defined, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.flatMap(describe));
  return config;
}

function describe(error: ValidationError): string[] {
  // Values are left out on purpose: the variable may be a secret.
  return Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`);
}
