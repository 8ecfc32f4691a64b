import type { Command } from 'commander';

type Codes = ReadonlyArray<readonly [code: number, meaning: string]>;

const usage = [64, 'usage error: unknown command, bad flag value'] as const;
const invalidInput = [1, 'invalid input: SLO files or config have errors'] as const;
const unavailable = [2, 'database unavailable'] as const;
const storeCommand: Codes = [[0, 'success'], invalidInput, unavailable, usage];

/** Each command's own exit codes, by its path under `burnrate`; the root's list covers them all. */
const byCommand: Readonly<Record<string, Codes>> = {
  '': [
    [0, 'success (gate: allow; verify: pass)'],
    [1, 'invalid input: SLO files, config or samples have errors (gate: deny; verify: fail)'],
    [2, 'could not evaluate: backend or database unavailable (gate: cannot decide, --fail-open makes it 0; verify: inconclusive)'],
    usage,
  ],
  validate: [[0, 'every file is valid (warnings allowed)'], [1, 'an SLO file or the config has errors'], usage],
  eval: [[0, 'evaluated'], invalidInput, [2, 'the backend could not answer for an SLO'], usage],
  backtest: [[0, 'replayed'], invalidInput, [2, 'the history of an SLO could not be read'], usage],
  ingest: [[0, 'stored'], [1, 'invalid input: samples, SLO files or config have errors'], unavailable, usage],
  run: [[0, 'stopped cleanly (SIGINT or SIGTERM)'], invalidInput, [2, 'could not start: database locked or unavailable, address in use'], usage],
  gate: [
    [0, 'allow'],
    [1, 'deny (also: SLO files or config have errors)'],
    [2, 'cannot decide: no evaluation stored or database unavailable (--fail-open makes it 0)'],
    usage,
  ],
  'test-receiver': [[0, 'every integration of the receiver took the test page (and its resolve)'], invalidInput, [2, 'an integration refused or could not be reached'], usage],
  verify: [
    [0, 'pass: no SLO of the service regressed'],
    [1, 'fail: an SLO regressed since the deploy (only then)'],
    [2, 'inconclusive: not enough traffic yet; or it could not verify: the backend or database could not be read, SLO files or config have errors'],
    [64, 'usage error: bad flag value, unknown service or deploy'],
  ],
};

export function exitCodeHelp(command: Command): string {
  const codes = byCommand[commandPath(command)] ?? storeCommand;
  return `\nExit codes:\n${codes.map(([code, meaning]) => `  ${String(code).padEnd(3)} ${meaning}`).join('\n')}`;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}
