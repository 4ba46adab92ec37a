/**
 * Sharing by link, without accounts: an edit link's holder creates view (read-only) or further edit links,
 * lists and revokes them. A view link opens the pipeline read-only and can only make a copy, which gets its
 * own edit link. The secret token is returned once, at creation; the server keeps only its hash.
 */
import { TRPCError } from '@trpc/server';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { requireEdit, requireView, tokenSchema } from '../access';
import { links } from '../db/schema';
import { hashToken, newId, newToken } from '../keys';
import { createPipeline, locksOf, readRevision } from '../store';
import { readProcedure, router, writeProcedure } from '../trpc';

export const shareRouter = router({
  createLink: writeProcedure.input(z.object({ key: tokenSchema, kind: z.enum(['edit', 'view']) })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key);
    const token = newToken();
    const id = newId();
    db.insert(links).values({ id, pipelineId: p.id, kind: input.kind, tokenHash: hashToken(token), createdAt: Date.now() }).run();
    return { linkId: id, kind: input.kind, token };
  }),

  links: readProcedure.input(z.object({ key: tokenSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const own = hashToken(input.key);
    return db
      .select({ id: links.id, kind: links.kind, createdAt: links.createdAt, revokedAt: links.revokedAt, hash: links.tokenHash })
      .from(links)
      .where(eq(links.pipelineId, p.id))
      .orderBy(asc(links.createdAt))
      .all()
      .map(({ hash, ...l }) => ({ ...l, isYours: hash === own }));
  }),

  revoke: writeProcedure.input(z.object({ key: tokenSchema, linkId: z.string().min(1).max(64) })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireEdit(db, input.key, { allowTrashed: true });
    const link = db.select().from(links).where(and(eq(links.id, input.linkId), eq(links.pipelineId, p.id))).get();
    if (!link) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such link on this pipeline.' });
    if (link.tokenHash === hashToken(input.key)) {
      // Revoking the link in hand would lock its holder out with no way back.
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot revoke the edit link you are using; revoke it from another edit link.' });
    }
    db.update(links).set({ revokedAt: Date.now() }).where(and(eq(links.id, link.id), isNull(links.revokedAt))).run();
    return { ok: true as const };
  }),

  /** Read-only view of the newest revision. */
  view: readProcedure.input(z.object({ token: tokenSchema })).query(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireView(db, input.token);
    return { name: p.name, headRevision: p.headRevision, doc: readRevision(db, p.id, p.headRevision).doc, locks: locksOf(p) };
  }),

  /** "Make my copy" from a view link: a new pipeline with its own edit link. */
  copy: writeProcedure.input(z.object({ token: tokenSchema })).mutation(({ ctx, input }) => {
    const db = ctx.db();
    const p = requireView(db, input.token);
    const head = readRevision(db, p.id, p.headRevision).doc;
    return createPipeline(db, { ...head, name: `${head.name} (my copy)`.slice(0, 200) }, `Copied from a shared link`, locksOf(p));
  }),
});
