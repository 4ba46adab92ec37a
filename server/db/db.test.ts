/** The database layer: migrations match the drizzle schema, WAL + FULL sync, KIZUKI_DB, lazy opening. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations';
import { DEFAULT_DB_PATH, databasePath, migrate, openDatabase } from './open';
import * as schema from './schema';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'kizuki-dbt-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('database', () => {
  it('creates the folder and file, in WAL mode with synchronous=FULL and foreign keys on', () => {
    const file = path.join(tempDir(), 'nested', 'deeper', 'k.db');
    const db = openDatabase(file);
    expect(existsSync(file)).toBe(true);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    db.$client.close();
  });

  it('applies each migration once, also when opened again', () => {
    const file = path.join(tempDir(), 'k.db');
    const db = openDatabase(file);
    const ids = () => (db.$client.prepare('SELECT id FROM kizuki_migrations ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    expect(ids()).toEqual(migrations.map((m) => m.id));
    expect(migrate(db.$client)).toEqual([]);
    db.$client.close();
    const again = openDatabase(file);
    expect((again.$client.prepare('SELECT count(*) AS n FROM kizuki_migrations').get() as { n: number }).n).toBe(migrations.length);
    again.$client.close();
  });

  it('the migrated tables have exactly the columns the drizzle schema declares', () => {
    const db = openDatabase(path.join(tempDir(), 'k.db'));
    for (const table of [schema.pipelines, schema.revisions, schema.links, schema.templates]) {
      const cfg = getTableConfig(table);
      const cols = db.$client.pragma(`table_info(${cfg.name})`) as { name: string; notnull: number }[];
      expect(cols.map((c) => c.name).sort(), cfg.name).toEqual(cfg.columns.map((c) => c.name).sort());
      for (const c of cfg.columns) {
        const inDb = cols.find((x) => x.name === c.name)!;
        // Primary-key columns are declared NOT NULL explicitly in the SQL.
        expect(inDb.notnull === 1, `${cfg.name}.${c.name} NOT NULL`).toBe(c.notNull || c.primary);
      }
    }
    db.$client.close();
  });

  it('KIZUKI_DB sets the path; the default is data/kizuki.db under the working directory', () => {
    expect(databasePath({ KIZUKI_DB: '/tmp/x/y.db' })).toBe('/tmp/x/y.db');
    expect(databasePath({})).toBe(path.resolve(DEFAULT_DB_PATH));
    expect(databasePath({ KIZUKI_DB: '  ' })).toBe(path.resolve('data/kizuki.db'));
  });

  it('importing the routers and HTTP handler opens no database', async () => {
    const file = path.join(tempDir(), 'lazy.db');
    const before = process.env.KIZUKI_DB;
    process.env.KIZUKI_DB = file;
    try {
      await import('../http');
      await import('../routers/index');
      expect(existsSync(file)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.KIZUKI_DB;
      else process.env.KIZUKI_DB = before;
    }
  });
});
