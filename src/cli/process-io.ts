import type { CliIo } from './io.js';

/** All of a stream as UTF-8 text (decoded once at the end, so a character split across chunks survives). */
export async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The streams of this process, as the `burnrate` binary hands them to {@link run}. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdin: () => readAll(process.stdin),
  };
}
