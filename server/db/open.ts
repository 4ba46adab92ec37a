/**
 * Opening the SQLite database: creates the folder and file, turns on WAL with synchronous=FULL (a commit is on
 * disk before the call returns, so a killed server keeps every save it acknowledged), and applies pending
 * migrations in one transaction each. `getDb()` opens the KIZUKI_DB file lazily, on first use, never at import
 * (so `next build` creates no database).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrations } from './migrations';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DB_PATH = 'data/kizuki.db';

/** The database file: $KIZUKI_DB, else ./data/kizuki.db under the working directory (the project root). */
export function databasePath(env: Record<string, string | undefined> = process.env): string {
  // turbopackIgnore: the path is chosen at run time; nothing under it belongs in the build output.
  return path.resolve(/*turbopackIgnore: true*/ env.KIZUKI_DB?.trim() || DEFAULT_DB_PATH);
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(/*turbopackIgnore: true*/ file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  migrate(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/** Apply every migration newer than the last recorded one; returns the ids applied. */
export function migrate(sqlite: Database.Database): number[] {
  sqlite.exec('CREATE TABLE IF NOT EXISTS kizuki_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const done = new Set(sqlite.prepare('SELECT id FROM kizuki_migrations').all().map((r) => (r as { id: number }).id));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    sqlite.transaction(() => {
      sqlite.exec(m.sql);
      sqlite.prepare('INSERT INTO kizuki_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, Date.now());
    })();
    applied.push(m.id);
  }
  return applied;
}

let shared: Db | null = null;

/** The server's database, opened on first call. */
export function getDb(): Db {
  shared ??= openDatabase(databasePath());
  return shared;
}
