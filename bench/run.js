#!/usr/bin/env node
// Compiles bench/ (and what it imports) with the project's TypeScript, then runs it with the given flags.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'burnrate-bench');
mkdirSync(outDir, { recursive: true });
// Package scope lookup stops at node_modules: mark the output as ESM itself.
writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const build = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'bench', 'tsconfig.json'), '--outDir', outDir, '--tsBuildInfoFile', join(outDir, 'tsbuildinfo')],
  { stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const bench = spawnSync(process.execPath, [join(outDir, 'bench', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(bench.status ?? 1);
