import { computeCallbackSign } from '@dingrelay/dingtalk-client';

let lastTimestamp = 0;

/**
 * A `timestamp` header for a push: now, but never one this process already used. DingTalk's `sign` covers only the
 * timestamp and the secret, so the API accepts a signature once (its replay cache): two pushes in the same
 * millisecond would carry the same one.
 */
export function nextCallbackTimestamp(): string {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return String(lastTimestamp);
}

/**
 * POSTs `message` to a running API's robot callback (`/v1/callbacks/dingtalk/<configuration>`) the way DingTalk
 * pushes what a user wrote to the robot: JSON, signed with the app's secret in the `timestamp` and `sign` headers.
 * For tests that need inbound messages in a stack they reach over HTTP only (spawned API, CLI).
 */
export async function pushSignedRobotMessage(options: {
  apiUrl: string;
  configuration: string;
  appSecret: string;
  message: Record<string, unknown>;
}): Promise<Response> {
  const timestamp = nextCallbackTimestamp();
  return fetch(`${options.apiUrl}/v1/callbacks/dingtalk/${encodeURIComponent(options.configuration)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', timestamp, sign: computeCallbackSign(timestamp, options.appSecret) },
    body: JSON.stringify(options.message),
  });
}
