import { computeCallbackSign } from '@dingrelay/dingtalk-client';

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
  const timestamp = String(Date.now());
  return fetch(`${options.apiUrl}/v1/callbacks/dingtalk/${encodeURIComponent(options.configuration)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', timestamp, sign: computeCallbackSign(timestamp, options.appSecret) },
    body: JSON.stringify(options.message),
  });
}
