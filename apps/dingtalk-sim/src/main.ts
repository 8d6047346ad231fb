import { readFileSync } from 'node:fs';
import { startDingTalkSimulator, type SimulatorConfig } from '@dingrelay/dingtalk-sim';

/**
 * Boots the DingTalk simulator from the environment:
 *   SIM_PORT   (default 3100)
 *   SIM_HOST   (default 127.0.0.1)
 *   SIM_CONFIG path to a JSON file, or inline JSON (starts with `{`), in the shape of `SimulatorConfig`;
 *              absent → the dev default: app dingrelay-dev-app / dingrelay-dev-secret, robot dingrelay-dev-robot,
 *              users matching ^user-\d+$.
 */
function loadConfig(raw: string | undefined): SimulatorConfig {
  if (raw === undefined || raw.trim() === '') return {};
  const text = raw.trimStart().startsWith('{') ? raw : readFileSync(raw, 'utf8');
  return JSON.parse(text) as SimulatorConfig;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3100;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SIM_PORT must be an integer 0..65535, got "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  const sim = await startDingTalkSimulator({
    ...loadConfig(process.env.SIM_CONFIG),
    port: parsePort(process.env.SIM_PORT),
    host: process.env.SIM_HOST || '127.0.0.1',
  });
  process.stdout.write(`dingtalk-sim listening on ${sim.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`dingtalk-sim received ${signal}, closing\n`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`dingtalk-sim failed to close: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`dingtalk-sim failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
