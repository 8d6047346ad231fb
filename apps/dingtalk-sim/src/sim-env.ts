import { readFileSync } from 'node:fs';
import { resolveSettings, type SimulatorConfig, type SimulatorOptions } from '@dingrelay/dingtalk-sim';

export const DEFAULT_SIM_PORT = 3100;
export const DEFAULT_SIM_HOST = '127.0.0.1';

/**
 * Simulator options from the environment:
 *   SIM_PORT   listen port (default 3100; 0 = any free port)
 *   SIM_HOST   listen address (default 127.0.0.1)
 *   SIM_CONFIG path to a JSON file, or inline JSON (starting with `{`), shaped like `SimulatorConfig`. Absent → the
 *              dev default: app dingrelay-dev-app / dingrelay-dev-secret, robot dingrelay-dev-robot, users ^user-\d+$.
 * The config is validated here so a typo fails at boot with a message, not later as odd behaviour.
 */
export function simulatorOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): SimulatorOptions {
  const config = parseConfig(env.SIM_CONFIG, readFile);
  resolveSettings(config);
  return { ...config, port: parsePort(env.SIM_PORT), host: env.SIM_HOST || DEFAULT_SIM_HOST };
}

function parseConfig(raw: string | undefined, readFile: (path: string) => string): SimulatorConfig {
  if (raw === undefined || raw.trim() === '') return {};
  const inline = raw.trimStart().startsWith('{');
  const text = inline ? raw : readFile(raw);
  try {
    return JSON.parse(text) as SimulatorConfig;
  } catch (err) {
    throw new Error(`SIM_CONFIG ${inline ? '(inline)' : raw} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_SIM_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SIM_PORT must be an integer 0..65535, got "${raw}"`);
  return port;
}
