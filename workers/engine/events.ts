/**
 * Events the engine emits while running a pipeline: plain data, safe to post across the worker boundary.
 */
import type { ErrorInfo } from '../../graph-nodes/core/errors';
import type { ProgressInfo } from '../../graph-nodes/core/kernel-types';
import type { NodePreview } from '../../graph-nodes/core/preview';

export type RunStatus = 'done' | 'failed' | 'cancelled' | 'invalid';

export type RunEvent =
  | { type: 'run-started'; runId: number; order: string[]; backend: string }
  | { type: 'node-queued'; runId: number; nodeId: string }
  | { type: 'node-started'; runId: number; nodeId: string }
  | { type: 'node-progress'; runId: number; nodeId: string; progress: ProgressInfo }
  | { type: 'node-preview'; runId: number; nodeId: string; preview: NodePreview }
  | { type: 'node-warning'; runId: number; nodeId: string; message: string }
  | { type: 'node-finished'; runId: number; nodeId: string; cached: boolean; seconds: number; preview: NodePreview }
  | { type: 'node-failed'; runId: number; nodeId: string; error: ErrorInfo }
  | { type: 'node-skipped'; runId: number; nodeId: string; blockedBy: string }
  | { type: 'run-finished'; runId: number; status: RunStatus; seconds: number; issues: ErrorInfo[] };

/** What the UI shows per node. */
export type NodeStatus = 'idle' | 'queued' | 'running' | 'cached' | 'done' | 'failed' | 'skipped';

export type BackendInfo = {
  /** Active TF.js backend, e.g. 'webgl'. */
  name: string;
  /** Why this one: "first that initialised", "requested via ?backend=cpu", … */
  reason: string;
  tried: { name: string; ok: boolean; error?: string; probeMs?: number }[];
};
