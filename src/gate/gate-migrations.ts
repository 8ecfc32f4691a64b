import type { Migration } from '../store/database.js';

/** The `gate` component's tables: overrides and the log of every decision. */
export const gateMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'gate overrides and the gate decision log',
    up: `
      CREATE TABLE gate_overrides (
        id TEXT PRIMARY KEY,
        service TEXT,
        slo TEXT,
        reason TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
      );
      CREATE INDEX gate_overrides_expires_at ON gate_overrides (expires_at);
      CREATE TABLE gate_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        requester TEXT NOT NULL,
        asked TEXT NOT NULL,
        services TEXT NOT NULL,
        slos TEXT NOT NULL,
        verdict TEXT NOT NULL,
        overridden INTEGER NOT NULL,
        override_id TEXT,
        figures TEXT NOT NULL
      );
      CREATE INDEX gate_log_at ON gate_log (at);
    `,
  },
  {
    version: 2,
    description: 'gate overrides record who recorded them (the API token or the CLI user) beside the claimed author',
    up: 'ALTER TABLE gate_overrides ADD COLUMN actor TEXT',
  },
];
