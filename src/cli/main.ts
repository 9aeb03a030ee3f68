#!/usr/bin/env node
// The `vigia` executable's entry point; everything else is in program.ts so tests can import it.
import { main } from './program.js';

await main();
