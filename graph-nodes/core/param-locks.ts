/**
 * Parameter locks of a published template: per node, per parameter, 'locked' (shown, not editable) or 'hidden'
 * (not shown). The server refuses saves that change a locked or hidden value; the param form honours them.
 */
import { z } from 'zod';
import type { PipelineDoc } from './pipeline-schema';

export const lockModeSchema = z.enum(['locked', 'hidden']);
export type LockMode = z.infer<typeof lockModeSchema>;

export const paramLocksSchema = z.record(z.string().max(64), z.record(z.string().max(64), lockModeSchema));
export type ParamLocks = z.infer<typeof paramLocksSchema>;

export type LockIssue = { path: string; message: string };

/** Mode of one parameter, if it is locked or hidden. */
export function lockOf(locks: ParamLocks | undefined, nodeId: string, param: string): LockMode | undefined {
  return locks?.[nodeId]?.[param];
}

/**
 * What `next` changed of `base` that the locks forbid: a locked/hidden value edited, or a node carrying locks
 * removed. Values compare as JSON (params are plain JSON).
 */
export function lockViolations(
  locks: ParamLocks,
  base: PipelineDoc,
  next: PipelineDoc,
  /** Fills defaults, so an omitted param and its default compare equal. */
  effective: (type: string, params: Record<string, unknown>) => Record<string, unknown> = (_t, p) => p,
): LockIssue[] {
  const issues: LockIssue[] = [];
  for (const [nodeId, params] of Object.entries(locks)) {
    const before = base.nodes.find((n) => n.id === nodeId);
    if (!before) continue;
    const index = next.nodes.findIndex((n) => n.id === nodeId);
    if (index < 0) {
      issues.push({ path: 'nodes', message: `node "${nodeId}" has parameters locked by the template; it cannot be removed` });
      continue;
    }
    const after = next.nodes[index]!;
    const was = effective(before.type, before.params);
    const now = effective(after.type, after.params);
    for (const [param, mode] of Object.entries(params)) {
      if (JSON.stringify(was[param]) !== JSON.stringify(now[param])) {
        issues.push({
          path: `nodes.${index}.params.${param}`,
          message: `${nodeId}.${param} is ${mode} by the template; keep ${JSON.stringify(was[param])}`,
        });
      }
    }
  }
  return issues;
}
