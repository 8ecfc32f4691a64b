import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/** Another process: takes the write lock, writes, holds the lock for `holdMs`, commits. Resolves once it holds it. */
export async function holdWriteLock(path: string, holdMs: number): Promise<{ committed: Promise<void> }> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite)});
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE');
    db.exec("CREATE TABLE IF NOT EXISTS other_writer (note TEXT); INSERT INTO other_writer (note) VALUES ('from another connection')");
    process.stdout.write('locked\\n');
    const until = Date.now() + ${holdMs};
    while (Date.now() < until) {}
    db.exec('COMMIT');
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code} before taking the lock`)));
  });
  // Wrapped: an async function returning the promise itself would wait for it.
  return { committed: exited };
}

