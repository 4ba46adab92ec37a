/**
 * Pipelines: create, list (the ones whose edit links the browser holds), open, save as a new revision with a
 * stale-revision conflict, rename, duplicate, trash/restore, and history (list, read, restore a revision).
 * Every call that reads or writes a pipeline takes its edit link token as `key`.
 */
import { TRPCError } from '@trpc/server';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { parseParams } from '../../graph-nodes/core/define-node';
import { lockViolations } from '../../graph-nodes/core/param-locks';
import { getDefinition } from '../../graph-nodes/registry';
import { requireEdit, tokenSchema } from '../access';
import { links, pipelines, revisions } from '../db/schema';
import { invalid } from '../errors';
import { hashToken } from '../keys';
import { appendRevision, autoMessage, createPipeline, locksOf, readRevision } from '../store';
import { readProcedure, router, writeProcedure } from '../trpc';
import { validDoc } from '../validate-doc';

const messageSchema = z.string().trim().max(500, 'a revision message has at most 500 characters').optional();
const nameSchema = z.string().trim().min(1, 'a name cannot be empty').max(200, 'a name has at most 200 characters');
const revisionSchema = z.number().int().positive();

/** Params with their defaults filled in (as the worker will run them). */
function effectiveParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
  const def = getDefinition(type);
  const r = def ? parseParams(def, params) : null;
  return r?.ok ? r.params : params;
}

export const pipelinesRouter = router({
  create: writeProcedure.input(z.object({ doc: z.unknown(), message: messageSchema })).mutation(({ ctx, input }) => {
    const doc = validDoc(input.doc);
    return createPipeline(ctx.db(), doc, input.message || 'Created');
  }),

  list: readProcedure.input(z.object({ keys: z.array(z.string().max(100)).max(500) })).query(({ ctx, input }) => {
    const hashes = new Map(input.keys.map((k) => [hashToken(k), k]));
    if (hashes.size === 0) return { pipelines: [], unknownKeys: [] };
    const rows = ctx
      .db()
      .select({ hash: links.tokenHash, id: pipelines.id, name: pipelines.name, headRevision: pipelines.headRevision, updatedAt: pipelines.updatedAt, deletedAt: pipelines.deletedAt })
      .from(links)
      .innerJoin(pipelines, eq(links.pipelineId, pipelines.id))
      .where(and(inArray(links.tokenHash, [...hashes.keys()]), eq(links.kind, 'edit'), isNull(links.revokedAt)))
      .orderBy(desc(pipelines.updatedAt))
      .all();
    const found = new Set(rows.map((r) => r.hash));
    return {
      pipelines: rows.map(({ hash, ...r }) => ({ ...r, key: hashes.get(hash)! })),
      // Keys the browser may forget: revoked, or their pipeline was purged.
      unknownKeys: [...hashes].filter(([h]) => !found.has(h)).map(([, k]) => k),
    };
  }),

  open: readProcedure.input(z.object({ key: tokenSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const head = readRevision(db, p.id, p.headRevision);
    return { id: p.id, name: p.name, headRevision: p.headRevision, doc: head.doc, locks: locksOf(p), deletedAt: p.deletedAt };
  }),

  save: writeProcedure
    .input(z.object({ key: tokenSchema, baseRevision: revisionSchema, doc: z.unknown(), message: messageSchema, auto: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => {
      const db = ctx.db();
      const p = requireEdit(db, input.key);
      const doc = validDoc(input.doc);
      const locks = locksOf(p);
      if (Object.keys(locks).length > 0) {
        const base = readRevision(db, p.id, p.headRevision).doc;
        const issues = lockViolations(locks, base, doc, effectiveParams).map((i) => ({ ...i, path: `doc.${i.path}` }));
        if (issues.length > 0) throw invalid('Some parameters are fixed by the template.', issues);
      }
      const revision = appendRevision(db, p.id, input.baseRevision, doc, input.message || autoMessage(input.auto), input.auto);
      return { revision };
    }),

  rename: writeProcedure.input(z.object({ key: tokenSchema, name: nameSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key);
    const head = readRevision(db, p.id, p.headRevision).doc;
    const revision = appendRevision(db, p.id, p.headRevision, { ...head, name: input.name }, `Renamed to “${input.name}”`, false);
    return { revision };
  }),

  duplicate: writeProcedure.input(z.object({ key: tokenSchema, name: nameSchema.optional() })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const head = readRevision(db, p.id, p.headRevision).doc;
    const name = input.name ?? `${head.name} (copy)`.slice(0, 200);
    return createPipeline(db, { ...head, name }, `Copied from “${head.name}” revision ${p.headRevision}`, locksOf(p));
  }),

  /** Move to the trash (undoable with restore). */
  trash: writeProcedure.input(z.object({ key: tokenSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    db.update(pipelines).set({ deletedAt: Date.now() }).where(eq(pipelines.id, p.id)).run();
    return { ok: true as const };
  }),

  restore: writeProcedure.input(z.object({ key: tokenSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    db.update(pipelines).set({ deletedAt: null }).where(eq(pipelines.id, p.id)).run();
    return { ok: true as const };
  }),

  history: readProcedure.input(z.object({ key: tokenSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const rows = db
      .select({ number: revisions.number, message: revisions.message, auto: revisions.auto, createdAt: revisions.createdAt })
      .from(revisions)
      .where(eq(revisions.pipelineId, p.id))
      .orderBy(desc(revisions.number))
      .limit(500)
      .all();
    return { headRevision: p.headRevision, revisions: rows.map((r) => ({ ...r, auto: r.auto === 1 })) };
  }),

  revision: readProcedure.input(z.object({ key: tokenSchema, number: revisionSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    return { number: input.number, ...readRevision(db, p.id, input.number) };
  }),

  /** Make an old revision the newest one (history is never rewritten). */
  restoreRevision: writeProcedure
    .input(z.object({ key: tokenSchema, number: revisionSchema, baseRevision: revisionSchema }))
    .mutation(({ ctx, input }) => {
      const db = ctx.db();
      const p = requireEdit(db, input.key);
      if (input.number > p.headRevision) throw new TRPCError({ code: 'NOT_FOUND', message: `Revision ${input.number} does not exist.` });
      const old = readRevision(db, p.id, input.number).doc;
      const revision = appendRevision(db, p.id, input.baseRevision, old, `Restored revision ${input.number}`, false);
      return { revision, doc: old };
    }),
});
