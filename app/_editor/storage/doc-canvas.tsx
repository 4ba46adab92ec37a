/**
 * A read-only canvas for a document that is not the one being edited: a history revision (with a diff
 * against another revision highlighted: added, removed, changed nodes and their changed params) or a shared
 * view. It has its own React Flow store, so the editor's canvas is untouched. Hidden params are not shown.
 */
'use client';
import { Background, type Edge, Handle, type Node, type NodeProps, Position, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { type ParamLocks, lockOf } from '../../../graph-nodes/core/param-locks';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { nodeTitle } from '../../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../../graph-nodes/registry';
import { t as tNow, useLangValue } from '../../_i18n/translate';
import type { DocDiff, NodeChange } from './diff';

type DnData = {
  title: string;
  nodeId: string;
  change: NodeChange | null;
  params: { key: string; value: string; changed: boolean; lock?: 'locked' | 'hidden' }[];
};
type DnNode = Node<DnData, 'dn'>;

function DocNode({ data }: NodeProps<DnNode>) {
  return (
    <div className={`dn${data.change && data.change !== 'same' ? ` dn--${data.change}` : ''}`} data-testid={`dn-${data.nodeId}`} data-change={data.change ?? ''}>
      {/* Edges need handles to attach to; these are not interactive. */}
      <Handle type="target" position={Position.Left} isConnectable={false} className="dn-handle" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="dn-handle" />
      <div className="dn-title">{data.title}</div>
      <div className="muted">{data.nodeId}</div>
      {data.params.map((p) =>
        p.lock === 'hidden' ? null : (
          <div key={p.key} className={`dn-param${p.changed ? ' dn-param--changed' : ''}`} data-testid={p.changed ? `dn-changed-${data.nodeId}-${p.key}` : undefined}>
            {p.lock === 'locked' ? '🔒 ' : ''}
            {p.key}: {p.value}
          </div>
        ),
      )}
    </div>
  );
}

const nodeTypes = { dn: DocNode };

const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? tNow('storage.default') : s.length > 40 ? `${s.slice(0, 39)}…` : s;
};

export function DocCanvas({ doc, diff, removedFrom, locks, testId }: { doc: PipelineDoc; diff?: DocDiff; removedFrom?: PipelineDoc; locks?: ParamLocks; testId: string }) {
  const lang = useLangValue();
  const { nodes, edges } = useMemo(() => {
    const toNode = (n: PipelineDoc['nodes'][number], change: NodeChange | null): DnNode => {
      const d = diff?.nodes[n.id];
      const changed = new Set(d?.changedParams ?? []);
      const def = getDefinition(n.type);
      // Explicit params, plus any changed ones that are at their default now.
      const keys = [...new Set([...Object.keys(n.params), ...changed])].sort();
      return {
        id: n.id,
        type: 'dn',
        position: n.position,
        draggable: false,
        data: {
          title: n.label || (def ? nodeTitle(def, lang) : n.type),
          nodeId: n.id,
          change,
          params: keys.map((k) => ({ key: k, value: show(n.params[k]), changed: changed.has(k), lock: lockOf(locks, n.id, k) })),
        },
      };
    };
    const nodes: DnNode[] = doc.nodes.map((n) => toNode(n, diff?.nodes[n.id]?.change ?? null));
    // Removed nodes are drawn where they were, ghosted, so the diff shows what went away.
    if (diff && removedFrom) for (const n of removedFrom.nodes) if (diff.nodes[n.id]?.change === 'removed') nodes.push(toNode(n, 'removed'));
    const key = (e: PipelineDoc['edges'][number]) => `${e.source}.${e.sourcePort}→${e.target}.${e.targetPort}`;
    const added = new Set(diff?.edgesAdded);
    const edges: Edge[] = doc.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      style: { stroke: added.has(key(e)) ? '#16a34a' : '#94a3b8', strokeWidth: added.has(key(e)) ? 3 : 2 },
    }));
    // Removed edges: dashed red, between where their ends were.
    const removed = new Set(diff?.edgesRemoved);
    for (const e of removedFrom?.edges ?? []) {
      if (removed.has(key(e))) edges.push({ id: `removed-${e.id}`, source: e.source, target: e.target, style: { stroke: '#dc2626', strokeWidth: 2, strokeDasharray: '6 4' } });
    }
    return { nodes, edges };
  }, [doc, diff, removedFrom, locks, lang]);

  return (
    <ReactFlowProvider>
      <div className="history-canvas" data-testid={testId}>
        {/* Remount when the node set changes, so fitView frames ghosted removed nodes too. */}
        <ReactFlow key={nodes.map((n) => n.id).join(' ')} nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView nodesConnectable={false} nodesDraggable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }}>
          <Background />
        </ReactFlow>
      </div>
    </ReactFlowProvider>
  );
}

/** A small SVG sketch of a pipeline's layout for the template gallery. */
export function Thumbnail({ doc }: { doc: PipelineDoc }) {
  const xs = doc.nodes.map((n) => n.position.x);
  const ys = doc.nodes.map((n) => n.position.y);
  const minX = Math.min(0, ...xs);
  const minY = Math.min(0, ...ys);
  const w = Math.max(1, ...xs.map((x) => x - minX)) + 200;
  const h = Math.max(1, ...ys.map((y) => y - minY)) + 100;
  const at = new Map(doc.nodes.map((n) => [n.id, { x: n.position.x - minX, y: n.position.y - minY }]));
  return (
    <svg className="thumb" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
      {doc.edges.map((e) => {
        const a = at.get(e.source);
        const b = at.get(e.target);
        return a && b ? <line key={e.id} x1={a.x + 180} y1={a.y + 40} x2={b.x} y2={b.y + 40} stroke="#94a3b8" strokeWidth={6} /> : null;
      })}
      {doc.nodes.map((n) => {
        const p = at.get(n.id)!;
        const cat = getDefinition(n.type)?.category;
        const fill = { data: '#dbeafe', preprocess: '#ede9fe', model: '#fef3c7', score: '#fee2e2', evaluate: '#dcfce7' }[cat ?? 'data'] ?? '#e2e8f0';
        return <rect key={n.id} x={p.x} y={p.y} width={180} height={80} rx={12} fill={fill} stroke="#64748b" strokeWidth={4} />;
      })}
    </svg>
  );
}
