import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'worker', rootDir: import.meta.dirname };
