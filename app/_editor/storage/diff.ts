/**
 * Difference between two revisions of a pipeline, for the history panel's canvas: nodes added, removed, or
 * changed (which params, label, type version), and edges added or removed. Params compare as JSON after
 * filling defaults, so an omitted param equals its default. Moves alone do not count as changes.
 */
import { parseParams } from '../../../graph-nodes/core/define-node';
import type { PipelineDoc, PipelineNode } from '../../../graph-nodes/core/pipeline-schema';
import { getDefinition } from '../../../graph-nodes/registry';

export type NodeChange = 'added' | 'removed' | 'changed' | 'same';
export type NodeDiff = { id: string; change: NodeChange; changedParams: string[]; labelChanged: boolean };
export type DocDiff = {
  nodes: Record<string, NodeDiff>;
  edgesAdded: string[];
  edgesRemoved: string[];
  renamed: boolean;
  /** Nothing differs but positions. */
  same: boolean;
};

function effective(n: PipelineNode): Record<string, unknown> {
  const def = getDefinition(n.type);
  const r = def ? parseParams(def, n.params) : null;
  return r?.ok ? r.params : n.params;
}

const edgeKey = (e: PipelineDoc['edges'][number]) => `${e.source}.${e.sourcePort}→${e.target}.${e.targetPort}`;

/** What changed going from `before` to `after`. */
export function diffDocs(before: PipelineDoc, after: PipelineDoc): DocDiff {
  const nodes: Record<string, NodeDiff> = {};
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (!o || o.type !== n.type) {
      nodes[n.id] = { id: n.id, change: 'added', changedParams: [], labelChanged: false };
      continue;
    }
    const a = effective(o);
    const b = effective(n);
    const changedParams = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
    const labelChanged = (o.label ?? '') !== (n.label ?? '');
    nodes[n.id] = { id: n.id, change: changedParams.length > 0 || labelChanged ? 'changed' : 'same', changedParams, labelChanged };
  }
  for (const o of before.nodes) {
    const n = now.get(o.id);
    // A node whose type changed under the same id shows as added (the canvas has one place per id).
    if ((!n || n.type !== o.type) && !nodes[o.id]) nodes[o.id] = { id: o.id, change: 'removed', changedParams: [], labelChanged: false };
  }
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const edgesAdded = [...newEdges].filter((e) => !oldEdges.has(e));
  const edgesRemoved = [...oldEdges].filter((e) => !newEdges.has(e));
  const renamed = before.name !== after.name;
  const same = !renamed && edgesAdded.length === 0 && edgesRemoved.length === 0 && Object.values(nodes).every((d) => d.change === 'same');
  return { nodes, edgesAdded, edgesRemoved, renamed, same };
}
