import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'console-e2e', rootDir: import.meta.dirname };
