/**
 * Storage operations shared by the routers: create a pipeline with its first revision and edit link,
 * append a revision (with the stale-revision check), read a revision. Each write is one IMMEDIATE
 * transaction, so concurrent saves of one pipeline serialise and the conflict check cannot race.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { type ParamLocks, paramLocksSchema } from '../graph-nodes/core/param-locks';
import { type PipelineDoc, pipelineDocSchema } from '../graph-nodes/core/pipeline-schema';
import type { Db } from './db/open';
import { links, pipelines, revisions } from './db/schema';
import { conflict } from './errors';
import { hashToken, newId, newToken } from './keys';

export type Created = { id: string; key: string; revision: number };

export function createPipeline(db: Db, doc: PipelineDoc, message: string, locks: ParamLocks = {}): Created {
  const id = newId();
  const key = newToken();
  const now = Date.now();
  db.transaction(
    (tx) => {
      tx.insert(pipelines)
        .values({ id, name: doc.name, headRevision: 1, locks: JSON.stringify(locks), createdAt: now, updatedAt: now })
        .run();
      tx.insert(revisions).values({ pipelineId: id, number: 1, doc: JSON.stringify(doc), message, auto: 0, createdAt: now }).run();
      tx.insert(links).values({ id: newId(), pipelineId: id, kind: 'edit', tokenHash: hashToken(key), createdAt: now }).run();
    },
    { behavior: 'immediate' },
  );
  return { id, key, revision: 1 };
}

/** Append `doc` as revision base+1; CONFLICT when the head moved past `baseRevision`. */
export function appendRevision(db: Db, pipelineId: string, baseRevision: number, doc: PipelineDoc, message: string, auto: boolean): number {
  return db.transaction(
    (tx) => {
      const row = tx.select({ head: pipelines.headRevision }).from(pipelines).where(eq(pipelines.id, pipelineId)).get();
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'This pipeline no longer exists.' });
      if (row.head !== baseRevision) throw conflict(row.head);
      const number = row.head + 1;
      const now = Date.now();
      tx.insert(revisions).values({ pipelineId, number, doc: JSON.stringify(doc), message, auto: auto ? 1 : 0, createdAt: now }).run();
      tx.update(pipelines).set({ headRevision: number, name: doc.name, updatedAt: now }).where(eq(pipelines.id, pipelineId)).run();
      return number;
    },
    { behavior: 'immediate' },
  );
}

export function readRevision(db: Db, pipelineId: string, number: number): { doc: PipelineDoc; message: string; createdAt: number; auto: boolean } {
  const row = db
    .select()
    .from(revisions)
    .where(and(eq(revisions.pipelineId, pipelineId), eq(revisions.number, number)))
    .get();
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `Revision ${number} does not exist.` });
  // Stored documents were validated on the way in; parse again so a hand-edited database fails loudly.
  return { doc: pipelineDocSchema.parse(JSON.parse(row.doc)), message: row.message, createdAt: row.createdAt, auto: row.auto === 1 };
}

export function locksOf(row: { locks: string }): ParamLocks {
  return paramLocksSchema.parse(JSON.parse(row.locks));
}

/** Default revision message: what changed, in a few words. */
export function autoMessage(auto: boolean): string {
  return auto ? 'Autosave' : 'Saved';
}
