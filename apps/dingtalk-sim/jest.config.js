import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'dingtalk-sim-app', rootDir: import.meta.dirname };
