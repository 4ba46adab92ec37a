/**
 * Errors the routers raise, carried to the client in the tRPC error's `data`:
 * field-by-field issues (`data.issues`, paths like `doc.nodes.2.params.epochs`) and save conflicts
 * (`data.conflict.headRevision`).
 */
import { TRPCError } from '@trpc/server';

export type FieldIssue = { path: string; message: string };

export class FieldIssuesError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

export class ConflictError extends Error {
  constructor(readonly headRevision: number) {
    super(`the pipeline was saved elsewhere (now at revision ${headRevision})`);
  }
}

export function invalid(message: string, issues: FieldIssue[]): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message, cause: new FieldIssuesError(issues) });
}

export function conflict(headRevision: number): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `This pipeline was changed elsewhere and is now at revision ${headRevision}. Reload theirs, or keep yours as a copy.`,
    cause: new ConflictError(headRevision),
  });
}

/** Issues from any error that lists them (ours, zod's, or a Standard Schema failure). */
export function issuesOf(cause: unknown): FieldIssue[] | undefined {
  if (cause instanceof FieldIssuesError) return cause.issues;
  const raw = (cause as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(raw)) return undefined;
  return raw.map((i: { path?: readonly unknown[]; message?: string }) => ({
    path: (i.path ?? []).map((p) => String(typeof p === 'object' && p !== null && 'key' in p ? (p as { key: unknown }).key : p)).join('.') || '(input)',
    message: i.message ?? 'invalid',
  }));
}
