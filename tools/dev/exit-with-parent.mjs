// Preloaded (`node --import`) into the apps that tools/dev/start.mjs runs. The supervisor gives each app an
// IPC channel; if the supervisor vanishes without stopping its children (kill -9, a crashed terminal), the
// channel closes and the app receives SIGTERM, so it shuts down the normal way instead of lingering on its
// port. Has no effect when the app is started without an IPC channel (production, docker).
if (process.channel) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel.unref(); // the channel alone must not keep the app alive
}
