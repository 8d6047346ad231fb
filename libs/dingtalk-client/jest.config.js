import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'dingtalk-client', rootDir: import.meta.dirname };
