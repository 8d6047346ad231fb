import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'dingtalk-sim', rootDir: import.meta.dirname };
