/**
 * Execute a planned pipeline node by node (topological order), with the content-addressed cache, progress
 * events, per-node error isolation (a failure marks its downstream nodes skipped) and cooperative cancellation
 * (checked between nodes; kernels check `ctx.signal` between batches). Used by the browser worker and the CLI.
 */
import type { ErrorInfo } from '../../graph-nodes/core/errors';
import { errorInfo, toErrorInfo } from '../../graph-nodes/core/errors';
import { hashValue } from '../../graph-nodes/core/hash';
import { isLazyImageSet, materializeImageSet, streamOf } from '../../graph-nodes/core/image-stream';
import type { DataIO, Kernel, KernelContext, StoredValue } from '../../graph-nodes/core/kernel-types';
import { getKernel } from '../../graph-nodes/kernels';
import type { CacheEntry, ResultCache } from './cache';
import type { RunEvent, RunStatus } from './events';
import type { Plan, PlannedNode } from './plan';
import type { NodeOutputs } from './values';

export type RunOptions = {
  runId: number;
  cache: ResultCache;
  io: DataIO;
  signal: AbortSignal;
  backend: string;
  onEvent: (event: RunEvent) => void;
  /** Kernel lookup; tests pass their own to run toy node types. */
  getKernel?: (type: string) => Kernel;
};

export type NodeResult =
  | { status: 'done' | 'cached'; key: string; entry: CacheEntry }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'skipped'; blockedBy: string };

export type RunResult = {
  plan: Plan;
  status: RunStatus;
  seconds: number;
  nodes: Map<string, NodeResult>;
  issues: ErrorInfo[];
};

/** A finished node's outputs, if they are still in the cache (eviction disposes their tensors). */
export function liveOutputs(result: RunResult, cache: ResultCache, nodeId: string): NodeOutputs | undefined {
  const r = result.nodes.get(nodeId);
  if (!r || (r.status !== 'done' && r.status !== 'cached') || !cache.has(r.key)) return undefined;
  return r.entry.outputs;
}

let nonce = 0;

export async function runPlan(plan: Plan, opts: RunOptions): Promise<RunResult> {
  const { runId, cache, onEvent, signal } = opts;
  const started = now();
  const results = new Map<string, NodeResult>();
  const keys = new Map<string, string>();
  const issues: ErrorInfo[] = [];
  let status: RunStatus = 'done';

  const streamed = streamedOutputs(plan);
  onEvent({ type: 'run-started', runId, order: plan.order.map((n) => n.id), backend: opts.backend });
  for (const node of plan.order) onEvent({ type: 'node-queued', runId, nodeId: node.id });

  try {
    for (const node of plan.order) {
      if (signal.aborted) {
        status = 'cancelled';
        break;
      }
      if (node.disabled) {
        // Reported as skipped by itself; dependants name it as the reason.
        results.set(node.id, { status: 'skipped', blockedBy: node.id });
        onEvent({ type: 'node-skipped', runId, nodeId: node.id, blockedBy: node.id });
        continue;
      }
      const blockedBy = Object.values(node.inputs).find((i) => results.get(i.nodeId)?.status === 'failed' || results.get(i.nodeId)?.status === 'skipped');
      if (blockedBy) {
        const upstream = results.get(blockedBy.nodeId)!;
        const root = upstream.status === 'skipped' ? upstream.blockedBy : blockedBy.nodeId;
        results.set(node.id, { status: 'skipped', blockedBy: root });
        onEvent({ type: 'node-skipped', runId, nodeId: node.id, blockedBy: root });
        continue;
      }

      const result = await runNode(node, keys, streamed.get(node.id) ?? new Set(), opts);
      results.set(node.id, result);
      if (result.status === 'failed') {
        if (result.error.code === 'CANCELLED') {
          status = 'cancelled';
          break;
        }
        status = 'failed';
        issues.push(result.error);
      }
    }
  } finally {
    cache.unpinAll();
  }
  const seconds = now() - started;
  onEvent({ type: 'run-finished', runId, status, seconds, issues });
  return { plan, status, seconds, nodes: results, issues };
}

/**
 * Per node, the output ports that every consumer in this plan reads as a stream (`streamed: true` inputs). Only
 * there may an image set come back lazy; a port nobody reads is not streamed (its value is kept for previews and
 * for consumers added later).
 */
export function streamedOutputs(plan: Plan): Map<string, Set<string>> {
  // node → output port → whether every reader so far streams it
  const readers = new Map<string, Map<string, boolean>>();
  for (const node of plan.order) {
    for (const [port, i] of Object.entries(node.inputs)) {
      const ports = readers.get(i.nodeId) ?? new Map<string, boolean>();
      readers.set(i.nodeId, ports);
      ports.set(i.port, (ports.get(i.port) ?? true) && node.definition.inputs[port]?.streamed === true);
    }
  }
  return new Map([...readers].map(([nodeId, ports]) => [nodeId, new Set([...ports].filter(([, all]) => all).map(([port]) => port))]));
}

/**
 * The value a kernel's input port gets: a stream view for `streamed` ports; otherwise the value whole, a lazy image
 * set being materialised first (and kept in the cache in that form for later consumers).
 */
async function inputValue(node: PlannedNode, port: string, upstreamKey: string, opts: RunOptions): Promise<unknown> {
  const { nodeId, port: sourcePort } = node.inputs[port]!;
  const value: StoredValue | undefined = opts.cache.get(upstreamKey)?.outputs[sourcePort];
  if (value === undefined) throw new Error(`no value from ${nodeId}.${sourcePort}`);
  if (value.kind === 'ImageSet' && node.definition.inputs[port]?.streamed) return streamOf(value);
  if (!isLazyImageSet(value)) return value;
  opts.onEvent({ type: 'node-progress', runId: opts.runId, nodeId: node.id, progress: { fraction: 0, message: `loading ${value.labels.length} images from ${nodeId}` } });
  const resident = await materializeImageSet(value, opts.signal);
  opts.cache.replaceOutput(upstreamKey, sourcePort, resident);
  return resident;
}

async function runNode(node: PlannedNode, keys: Map<string, string>, streamedPorts: ReadonlySet<string>, opts: RunOptions): Promise<NodeResult> {
  const { runId, cache, onEvent, io, signal } = opts;
  const kernel = (opts.getKernel ?? getKernel)(node.definition.type);
  const def = node.definition;
  try {
    const fingerprint = kernel.fingerprint ? await kernel.fingerprint(node.params as never, io) : '';
    const key = hashValue({
      type: def.type,
      version: def.version,
      params: node.params,
      inputs: Object.fromEntries(Object.entries(node.inputs).map(([port, i]) => [port, `${keys.get(i.nodeId)}:${i.port}`])),
      fingerprint,
      nonce: def.cache === 'never' ? `${runId}-${nonce++}` : '',
    });
    keys.set(node.id, key);

    const hit = cache.get(key);
    if (hit) {
      cache.pin(key);
      onEvent({ type: 'node-finished', runId, nodeId: node.id, cached: true, seconds: 0, preview: hit.preview });
      return { status: 'cached', key, entry: hit };
    }

    onEvent({ type: 'node-started', runId, nodeId: node.id });
    const inputs: Record<string, unknown> = {};
    for (const [port, i] of Object.entries(node.inputs)) inputs[port] = await inputValue(node, port, keys.get(i.nodeId)!, opts);
    const ctx: KernelContext = {
      nodeId: node.id,
      signal,
      io,
      backend: opts.backend,
      progress: (progress) => onEvent({ type: 'node-progress', runId, nodeId: node.id, progress }),
      warn: (message) => onEvent({ type: 'node-warning', runId, nodeId: node.id, message }),
      livePreview: (preview) => onEvent({ type: 'node-preview', runId, nodeId: node.id, preview }),
      streamedOutputs: streamedPorts,
    };
    const t0 = now();
    const outputs = (await kernel.run(inputs as never, node.params as never, ctx)) as NodeOutputs;
    const missing = Object.keys(def.outputs).filter((port) => !outputs[port]);
    if (missing.length > 0) throw new Error(`kernel returned no value for output(s) ${missing.join(', ')}`);
    const preview = kernel.preview ? await kernel.preview(outputs as never, node.params as never) : [];
    const seconds = now() - t0;
    const entry = cache.set(key, outputs, preview, seconds);
    cache.pin(key);
    onEvent({ type: 'node-finished', runId, nodeId: node.id, cached: false, seconds, preview });
    return { status: 'done', key, entry };
  } catch (err) {
    const error = signal.aborted ? errorInfo('CANCELLED', { nodeId: node.id }) : toErrorInfo(err, node.id);
    onEvent({ type: 'node-failed', runId, nodeId: node.id, error });
    return { status: 'failed', error };
  }
}

function now(): number {
  return performance.now() / 1000;
}
