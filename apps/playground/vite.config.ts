import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** The page: React, with workspace packages resolved to their TypeScript sources. */
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@plugin-interfaces/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
