import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// In development the browser talks only to Vite; Vite forwards the server's paths to the API process
// (started by scripts/dev.js), so the app uses the same relative URLs as in production.
const apiPort = Number(process.env.VIGIA_API_PORT ?? 3000);
const webPort = Number(process.env.VIGIA_WEB_PORT ?? 5173);
const apiTarget = `http://127.0.0.1:${apiPort}`;

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Tests and the production server serve these files as they are; inlining assets as data: URLs
    // would only grow the JavaScript that every public page pays for.
    assetsInlineLimit: 0,
  },
  server: {
    port: webPort,
    // The port is printed in the docs and proxied to; silently moving to another one would confuse.
    strictPort: true,
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
      '/readyz': apiTarget,
    },
  },
  preview: { port: webPort, strictPort: true },
});
