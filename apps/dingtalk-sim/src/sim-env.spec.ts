import { DEFAULT_SIM_HOST, DEFAULT_SIM_PORT, simulatorOptionsFromEnv } from './sim-env.js';

describe('simulatorOptionsFromEnv', () => {
  const noFile = (path: string): string => {
    throw new Error(`unexpected read of ${path}`);
  };

  it('defaults to 127.0.0.1:3100 and the dev configuration', () => {
    expect(simulatorOptionsFromEnv({}, noFile)).toEqual({ port: DEFAULT_SIM_PORT, host: DEFAULT_SIM_HOST });
    expect(DEFAULT_SIM_PORT).toBe(3100);
  });

  it('reads port, host and inline JSON config', () => {
    const options = simulatorOptionsFromEnv({ SIM_PORT: '0', SIM_HOST: '0.0.0.0', SIM_CONFIG: ' {"maxUserIdsPerCall":100}' }, noFile);
    expect(options).toEqual({ port: 0, host: '0.0.0.0', maxUserIdsPerCall: 100 });
  });

  it('reads the config from a file path', () => {
    const read = (path: string): string => (path === '/etc/sim.json' ? '{"users":{"ids":["alice"]}}' : '');
    expect(simulatorOptionsFromEnv({ SIM_CONFIG: '/etc/sim.json' }, read)).toMatchObject({ users: { ids: ['alice'] } });
  });

  it.each([
    [{ SIM_PORT: 'http' }, 'SIM_PORT'],
    [{ SIM_PORT: '70000' }, 'SIM_PORT'],
    [{ SIM_CONFIG: '{"maxUserIds": 1' }, 'not valid JSON'],
    [{ SIM_CONFIG: '{"maxUserIdz": 1}' }, 'unknown key'],
  ])('fails fast on %j', (env, message) => {
    expect(() => simulatorOptionsFromEnv(env, noFile)).toThrow(message);
  });
});
