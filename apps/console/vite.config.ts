import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The console is served by the API at /console (apps/api/src/console/mount-console.ts), so every asset URL is under
 * that base. `npm run dev -w apps/console` proxies the API to a local dingrelay (DINGRELAY_URL, default :3000).
 * Workspace libs are bundled from their TypeScript sources through the `@dingrelay/source` export condition, as the
 * Node apps resolve them in development.
 */
const api = process.env['DINGRELAY_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  resolve: { conditions: ['@dingrelay/source', ...defaultClientConditions] },
  server: { proxy: { '/v1': api, '/docs': api, '/health': api } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chunks shared by every page (React, antd, the client) load once and stay cached; each page is its own chunk.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.spec.{ts,tsx}'],
    css: false,
  },
});
