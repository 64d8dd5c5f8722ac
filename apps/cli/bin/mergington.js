#!/usr/bin/env node
// Runs the built CLI, dist/main.js (`pnpm --filter cli build`; `pnpm mergington` builds it when stale).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const { status } = spawnSync(process.execPath, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
