#!/usr/bin/env node
// The installed `vigia` command runs the built CLI; building happens on `npm install` (prepare).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('vigia: Vigía is not built yet. Run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(entry.href);
