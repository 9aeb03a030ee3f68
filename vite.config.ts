import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// In development the browser talks only to Vite; Vite forwards the server's paths to the API process
// (started by scripts/dev.js), so the app uses the same relative URLs as in production.
const apiPort = Number(process.env.VIGIA_API_PORT ?? 3000);
const webPort = Number(process.env.VIGIA_WEB_PORT ?? 5173);
const apiTarget = `http://127.0.0.1:${apiPort}`;

/** Modules whose chunks the reporting pages need offline, besides the entry (the shell). */
const OFFLINE_MODULES = [
  /\/features\/report\/(ReportPage|ReceiptPage)\.tsx$/,
  /\/i18n\/report\/(es|en)\.json$/,
  /\/i18n\/en\.json$/,
];

/**
 * Writes dist/web/sw.js from src/web/service-worker.js with the files to keep for offline use: the
 * entry, the reporting pages and their strings, everything they import, their styles and the
 * proof-of-work worker. The version is a hash of that list, so each build with other files is a new
 * service worker, and the browser replaces the old one.
 */
function serviceWorker(): Plugin {
  return {
    name: 'vigia-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = new Set<string>(['/favicon.svg']);
      const add = (fileName: string) => {
        if (files.has(`/${fileName}`)) return;
        files.add(`/${fileName}`);
        const output = bundle[fileName];
        if (output?.type !== 'chunk') return;
        output.imports.forEach(add);
        output.viteMetadata?.importedCss.forEach(add);
        output.viteMetadata?.importedAssets.forEach(add);
      };
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') {
          const id = output.facadeModuleId ?? '';
          if (output.isEntry || OFFLINE_MODULES.some((pattern) => pattern.test(id))) add(output.fileName);
        } else if (/^assets\/pow\.worker-[\w-]+\.js$/.test(output.fileName)) {
          add(output.fileName);
        }
      }
      const list = [...files].sort();
      const version = createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 16);
      const template = fs.readFileSync(new URL('./src/web/service-worker.js', import.meta.url), 'utf8');
      const source = template
        .replace('self.__VIGIA_PRECACHE__', JSON.stringify(list))
        .replace('self.__VIGIA_VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), serviceWorker()],
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
