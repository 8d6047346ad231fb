import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'repo-checks', rootDir: import.meta.dirname };
