import { startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { simulatorOptionsFromEnv } from './sim-env.js';

/** Boots the DingTalk simulator from SIM_PORT / SIM_HOST / SIM_CONFIG (see sim-env.ts) and prints its URL. */
async function main(): Promise<void> {
  const sim = await startDingTalkSimulator(simulatorOptionsFromEnv(process.env));
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
