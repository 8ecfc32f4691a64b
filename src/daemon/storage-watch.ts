import type { Logger } from '../log.js';
import type { DatabaseIdentity } from '../store/database-identity.js';

/**
 * Whether the database file is still the one opened. A file deleted or replaced under the daemon stops evaluation
 * and delivery, and /readyz says why; the change, and the file coming back, are logged once each.
 */
export function storageWatch(identity: DatabaseIdentity, database: string, log: Logger): () => string | undefined {
  let storageProblem: string | undefined;
  return () => {
    const problem = identity.check();
    if (problem !== storageProblem) {
      if (problem !== undefined) log.error({ database, problem }, 'database file changed under the daemon: evaluation and delivery stopped; restart the daemon');
      else log.info({ database }, 'database file is back as opened: evaluation resumes');
      storageProblem = problem;
    }
    return problem;
  };
}
