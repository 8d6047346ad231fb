// The baseline: what a typical integrator writes without dingrelay. The official @alicloud/dingtalk SDK, one
// access token (oauth2_1_0 getAccessToken), then robot_1_0 batchSendOTOWithOptions over the recipients in batches of
// 20, in `--loops` loops sharing one cursor (1 = a plain sequential loop). No persistence, no retries, no pacing:
// an error is counted and the loop moves on. Run as its own process by delivery.mjs; prints one JSON line.
//
//   node tools/bench/lib/sdk-baseline.mjs --url http://127.0.0.1:3100 --recipients 50000 --loops 8
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import dingtalk from '@alicloud/dingtalk';
import openapi from '@alicloud/openapi-client';
import teaUtil from '@alicloud/tea-util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    recipients: { type: 'string', default: '50000' },
    loops: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '20' },
    'app-key': { type: 'string', default: 'dingrelay-dev-app' },
    'app-secret': { type: 'string', default: 'dingrelay-dev-secret' },
    'robot-code': { type: 'string', default: 'dingrelay-dev-robot' },
  },
});
if (!values.url) throw new Error('--url (the simulator) is required');

const Oauth2Client = dingtalk.oauth2_1_0.default;
const RobotClient = dingtalk.robot_1_0.default;
const { GetAccessTokenRequest } = dingtalk.oauth2_1_0;
const { BatchSendOTOHeaders, BatchSendOTORequest } = dingtalk.robot_1_0;

const recipients = Number(values.recipients);
const loops = Number(values.loops);
const batchSize = Number(values['batch-size']);
const sim = new URL(values.url);
// As in libs/dingtalk-sim/test/sdk-fidelity.spec.ts: the SDK's endpoint override, over plain http.
const config = () => new openapi.Config({ protocol: 'http', endpoint: `${sim.hostname}:${sim.port}`, regionId: 'central' });
const oauth = new Oauth2Client(config());
const robot = new RobotClient(config());
const runtime = new teaUtil.RuntimeOptions({});

const userIds = Array.from({ length: recipients }, (_, i) => `user-${i + 1}`);
const msgParam = JSON.stringify({ title: 'dingrelay benchmark', text: '## Benchmark\nThe same message for everyone.' });
const batches = Math.ceil(recipients / batchSize);

process.stdout.write('ready\n'); // loading the SDK takes a while; the parent's CPU accounting starts here
const started = performance.now();
const token = await oauth.getAccessToken(
  new GetAccessTokenRequest({ appKey: values['app-key'], appSecret: values['app-secret'] }),
);
const headers = new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token.body.accessToken });

let next = 0;
let calls = 0;
let accepted = 0;
let invalid = 0;
let flowControlled = 0;
const errors = {};

async function loop() {
  for (;;) {
    const i = next++;
    if (i >= batches) return;
    const request = new BatchSendOTORequest({
      robotCode: values['robot-code'],
      userIds: userIds.slice(i * batchSize, (i + 1) * batchSize),
      msgKey: 'sampleMarkdown',
      msgParam,
    });
    calls++;
    try {
      const res = await robot.batchSendOTOWithOptions(request, headers, runtime);
      const body = res.body ?? {};
      invalid += body.invalidStaffIdList?.length ?? 0;
      flowControlled += body.flowControlledStaffIdList?.length ?? 0;
      accepted += request.userIds.length - (body.invalidStaffIdList?.length ?? 0) - (body.flowControlledStaffIdList?.length ?? 0);
    } catch (error) {
      const code = error?.code ?? error?.name ?? 'unknown';
      errors[code] = (errors[code] ?? 0) + 1;
    }
  }
}

await Promise.all(Array.from({ length: loops }, () => loop()));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ recipients, loops, batchSize, calls, accepted, invalid, flowControlled, errors, seconds })}\n`,
);
