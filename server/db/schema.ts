/**
 * Drizzle table definitions for pipelines, their revisions, share links and published templates.
 * The SQL that creates these tables lives in migrations.ts; server/db/db.test.ts checks the two agree.
 * Times are epoch milliseconds; JSON columns hold text validated by zod on the way in and out.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const pipelines = sqliteTable(
  'pipelines',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    headRevision: integer('head_revision').notNull(),
    /** ParamLocks JSON inherited from the template this pipeline was copied from ('{}' when none). */
    locks: text('locks').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** Set when moved to the trash; cleared by restore. */
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('pipelines_updated').on(t.updatedAt)],
);

export const revisions = sqliteTable(
  'revisions',
  {
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    doc: text('doc').notNull(),
    message: text('message').notNull(),
    /** 1 for autosaves, 0 for saves the author asked for. */
    auto: integer('auto').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pipelineId, t.number] })],
);

export const links = sqliteTable(
  'links',
  {
    /** Public id of the link (shown in the share panel, used to revoke it); not the secret. */
    id: text('id').primaryKey(),
    pipelineId: text('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['edit', 'view'] }).notNull(),
    /** SHA-256 of the secret token: a copy of the database does not hand out edit rights. */
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('links_token').on(t.tokenHash), index('links_pipeline').on(t.pipelineId)],
);

export const templates = sqliteTable('templates', {
  id: text('id').primaryKey(),
  sourcePipelineId: text('source_pipeline_id').notNull(),
  title: text('title').notNull(),
  notes: text('notes').notNull(),
  doc: text('doc').notNull(),
  locks: text('locks').notNull(),
  createdAt: integer('created_at').notNull(),
  unpublishedAt: integer('unpublished_at'),
});
