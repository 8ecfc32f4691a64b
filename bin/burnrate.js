#!/usr/bin/env node
import { run } from '../dist/cli/main.js';
import { processIo } from '../dist/cli/process-io.js';
import { unexpectedErrorLine } from '../dist/cli/unexpected-error.js';

// A fault outside any command's handling still ends in one line on stderr and exit 2, not a stack trace.
const fatal = (error) => {
  process.stderr.write(`burnrate: ${unexpectedErrorLine(error)}\n`);
  if (process.env.BURNRATE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(2);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

process.exitCode = await run(process.argv.slice(2), processIo());
