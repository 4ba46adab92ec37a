/**
 * Ordered SQL migrations, applied once each on open (see open.ts). Never edit a shipped migration:
 * append a new one. Kept as strings in a module so `next build` bundles them (no files to locate at run time).
 */
export type Migration = { id: number; name: string; sql: string };

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'pipelines, revisions, links, templates',
    sql: `
CREATE TABLE pipelines (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  head_revision INTEGER NOT NULL,
  locks TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX pipelines_updated ON pipelines (updated_at);

CREATE TABLE revisions (
  pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  doc TEXT NOT NULL,
  message TEXT NOT NULL,
  auto INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pipeline_id, number)
);

CREATE TABLE links (
  id TEXT PRIMARY KEY NOT NULL,
  pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('edit', 'view')),
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX links_token ON links (token_hash);
CREATE INDEX links_pipeline ON links (pipeline_id);

CREATE TABLE templates (
  id TEXT PRIMARY KEY NOT NULL,
  source_pipeline_id TEXT NOT NULL,
  title TEXT NOT NULL,
  notes TEXT NOT NULL,
  doc TEXT NOT NULL,
  locks TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  unpublished_at INTEGER
);
`,
  },
];
