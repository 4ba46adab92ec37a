/** A KernelContext for kernel tests, recording warnings, progress and live previews. */
import type { DataIO, KernelContext, ProgressInfo } from '../../../graph-nodes/core/kernel-types';
import type { NodePreview } from '../../../graph-nodes/core/preview';

export function testContext(opts: { nodeId?: string; signal?: AbortSignal; io?: DataIO } = {}) {
  const warnings: string[] = [];
  const progress: ProgressInfo[] = [];
  const previews: NodePreview[] = [];
  const ctx: KernelContext = {
    nodeId: opts.nodeId ?? 'node-under-test',
    signal: opts.signal ?? new AbortController().signal,
    progress: (p) => progress.push(p),
    warn: (m) => warnings.push(m),
    livePreview: (p) => previews.push(p),
    io: opts.io ?? ({} as DataIO),
    backend: 'cpu',
  };
  return { ctx, warnings, progress, previews };
}
