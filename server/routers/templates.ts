/**
 * Published templates: an edit-link holder publishes the newest revision with a title, notes for students and
 * locked/hidden parameters. Anyone can list and preview published templates; using one creates the student's
 * own pipeline (own edit link) that keeps the locks. Only the source pipeline's edit link can unpublish.
 */
import { TRPCError } from '@trpc/server';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { paramLocksSchema } from '../../graph-nodes/core/param-locks';
import { getDefinition } from '../../graph-nodes/registry';
import { requireEdit, tokenSchema } from '../access';
import { templates } from '../db/schema';
import { type FieldIssue, invalid } from '../errors';
import { newId } from '../keys';
import { createPipeline, locksOf, readRevision } from '../store';
import { readProcedure, router, writeProcedure } from '../trpc';
import { validDoc } from '../validate-doc';

const templateIdSchema = z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a template id uses letters, digits, - and _ only');

function readTemplate(row: typeof templates.$inferSelect) {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    createdAt: row.createdAt,
    doc: validDoc(JSON.parse(row.doc)),
    locks: paramLocksSchema.parse(JSON.parse(row.locks)),
  };
}

export const templatesRouter = router({
  publish: writeProcedure
    .input(
      z.object({
        key: tokenSchema,
        title: z.string().trim().min(1, 'a template needs a title').max(200, 'a title has at most 200 characters'),
        notes: z.string().max(10_000, 'notes have at most 10,000 characters').default(''),
        locks: paramLocksSchema.default({}),
      }),
    )
    .mutation(({ ctx, input }) => {
      const db = ctx.db();
      const p = requireEdit(db, input.key);
      const doc = readRevision(db, p.id, p.headRevision).doc;
      // A lock must name a parameter that exists, or students would see a lock on nothing.
      const issues: FieldIssue[] = [];
      for (const [nodeId, params] of Object.entries(input.locks)) {
        const node = doc.nodes.find((n) => n.id === nodeId);
        const def = node && getDefinition(node.type);
        if (!node || !def) {
          issues.push({ path: `locks.${nodeId}`, message: `no node "${nodeId}" in the pipeline` });
          continue;
        }
        for (const param of Object.keys(params)) {
          if (!(param in def.params.shape)) issues.push({ path: `locks.${nodeId}.${param}`, message: `${def.title} has no parameter "${param}"` });
        }
      }
      if (issues.length > 0) throw invalid('Some locks name parameters that do not exist.', issues);
      // Locks inherited by this pipeline stay in force in what it publishes.
      const merged = { ...locksOf(p) };
      for (const [n, ps] of Object.entries(input.locks)) merged[n] = { ...merged[n], ...ps };
      const id = newId();
      db.insert(templates)
        .values({ id, sourcePipelineId: p.id, title: input.title, notes: input.notes, doc: JSON.stringify(doc), locks: JSON.stringify(merged), createdAt: Date.now() })
        .run();
      return { templateId: id };
    }),

  list: readProcedure.query(({ ctx }) =>
    ctx.db().select().from(templates).where(isNull(templates.unpublishedAt)).orderBy(desc(templates.createdAt)).limit(200).all().map(readTemplate),
  ),

  get: readProcedure.input(z.object({ templateId: templateIdSchema })).query(({ ctx, input }) => {
    const row = ctx.db().select().from(templates).where(and(eq(templates.id, input.templateId), isNull(templates.unpublishedAt))).get();
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'This template does not exist or was unpublished.' });
    return readTemplate(row);
  }),

  /** Opening a template: the student's own copy, locks included. */
  use: writeProcedure.input(z.object({ templateId: templateIdSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const row = db.select().from(templates).where(and(eq(templates.id, input.templateId), isNull(templates.unpublishedAt))).get();
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'This template does not exist or was unpublished.' });
    const t = readTemplate(row);
    return createPipeline(db, { ...t.doc, name: t.title }, `Started from template “${t.title}”`, t.locks);
  }),

  /** Templates published from this pipeline (for its owner to unpublish). */
  ofPipeline: readProcedure.input(z.object({ key: tokenSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    return db
      .select({ id: templates.id, title: templates.title, createdAt: templates.createdAt })
      .from(templates)
      .where(and(eq(templates.sourcePipelineId, p.id), isNull(templates.unpublishedAt)))
      .orderBy(desc(templates.createdAt))
      .all();
  }),

  unpublish: writeProcedure.input(z.object({ key: tokenSchema, templateId: templateIdSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const done = db
      .update(templates)
      .set({ unpublishedAt: Date.now() })
      .where(and(eq(templates.id, input.templateId), eq(templates.sourcePipelineId, p.id), isNull(templates.unpublishedAt)))
      .run();
    if (done.changes === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'No published template of this pipeline has that id.' });
    return { ok: true as const };
  }),
});
