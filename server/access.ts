/**
 * Capability checks: a secret link token is the only credential. Edit tokens open every pipeline endpoint;
 * view tokens only read and copy. Revoked or unknown tokens get one message that does not say which.
 */
import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/open';
import { links, pipelines } from './db/schema';
import { hashToken } from './keys';

export const tokenSchema = z
  .string()
  .min(20, 'a link token has at least 20 characters; copy the whole link')
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'a link token uses letters, digits, - and _ only');

export type PipelineRow = typeof pipelines.$inferSelect;

function resolve(db: Db, token: string, kind: 'edit' | 'view'): { pipeline: PipelineRow; linkId: string } {
  const row = db
    .select({ pipeline: pipelines, linkId: links.id })
    .from(links)
    .innerJoin(pipelines, eq(links.pipelineId, pipelines.id))
    .where(and(eq(links.tokenHash, hashToken(token)), eq(links.kind, kind), isNull(links.revokedAt)))
    .get();
  if (!row) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: kind === 'edit' ? 'This edit link is not valid or was revoked.' : 'This view link is not valid or was revoked.',
    });
  }
  return row;
}

/** The pipeline an edit token opens. */
export function requireEdit(db: Db, token: string, opts: { allowTrashed?: boolean } = {}): PipelineRow {
  const { pipeline } = resolve(db, token, 'edit');
  if (pipeline.deletedAt !== null && !opts.allowTrashed) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `"${pipeline.name}" is in the trash; restore it first.` });
  }
  return pipeline;
}

/** The pipeline a view token opens (read-only). */
export function requireView(db: Db, token: string): PipelineRow {
  const { pipeline } = resolve(db, token, 'view');
  if (pipeline.deletedAt !== null) throw new TRPCError({ code: 'NOT_FOUND', message: 'This pipeline was deleted by its owner.' });
  return pipeline;
}
