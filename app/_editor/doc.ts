/**
 * Conversion between the editor's React Flow graph and the saved PipelineDoc.
 * Loading is forgiving but never silent: unknown node types and invalid edges are dropped and listed.
 */
import type { Edge, Node } from '@xyflow/react';
import { migrateParams } from '../../graph-nodes/core/define-node';
import { PIPELINE_FORMAT, PIPELINE_SCHEMA_VERSION, type PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { portTypes } from '../../graph-nodes/core/port-types';
import { getDefinition } from '../../graph-nodes/registry';
import { checkConnection } from './connect-rules';

export type GraphNodeData = {
  type: string;
  typeVersion: number;
  label?: string;
  /** Kept but not run (what depends on it is skipped). */
  disabled?: boolean;
  params: Record<string, unknown>;
};
export type AppNode = Node<GraphNodeData, 'graph'>;
export type AppEdge = Edge;

export type DocMeta = { name: string; description?: string };

export function edgeId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `e-${source}.${sourcePort}-${target}.${targetPort}`;
}

/** Styled edge coloured by the type of its source port. */
export function makeEdge(id: string, source: string, sourcePort: string, target: string, targetPort: string, type?: string): AppEdge {
  const color = type && type in portTypes ? portTypes[type as keyof typeof portTypes].color : '#94a3b8';
  return { id, source, sourceHandle: sourcePort, target, targetHandle: targetPort, style: { stroke: color, strokeWidth: 2 } };
}

export function toPipelineDoc(meta: DocMeta, nodes: readonly AppNode[], edges: readonly AppEdge[]): PipelineDoc {
  return {
    format: PIPELINE_FORMAT,
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: meta.name || 'Untitled pipeline',
    ...(meta.description ? { description: meta.description } : {}),
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      typeVersion: n.data.typeVersion,
      ...(n.data.label ? { label: n.data.label } : {}),
      ...(n.data.disabled ? { disabled: true } : {}),
      params: n.data.params,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourcePort: e.sourceHandle ?? '',
      target: e.target,
      targetPort: e.targetHandle ?? '',
    })),
  };
}

export type LoadedGraph = { meta: DocMeta; nodes: AppNode[]; edges: AppEdge[]; warnings: string[] };

/** Build the editor graph from a parsed document; migrates params to the current node versions. */
export function fromPipelineDoc(doc: PipelineDoc): LoadedGraph {
  const warnings: string[] = [];
  const nodes: AppNode[] = [];
  const seen = new Set<string>();
  for (const n of doc.nodes) {
    const def = getDefinition(n.type);
    if (!def) {
      warnings.push(`Node "${n.id}" has unknown type "${n.type}" and was left out.`);
      continue;
    }
    if (n.typeVersion > def.version) {
      warnings.push(`Node "${n.id}" (${n.type}) was saved by a newer Kizuki (v${n.typeVersion}); it was left out.`);
      continue;
    }
    if (seen.has(n.id)) {
      warnings.push(`Two nodes share the id "${n.id}"; the second was left out.`);
      continue;
    }
    seen.add(n.id);
    nodes.push({
      id: n.id,
      type: 'graph',
      position: n.position,
      data: {
        type: n.type,
        typeVersion: def.version,
        ...(n.label ? { label: n.label } : {}),
        ...(n.disabled ? { disabled: true } : {}),
        params: migrateParams(def, n.typeVersion, n.params),
      },
    });
  }
  const edges: AppEdge[] = [];
  for (const e of doc.edges) {
    const conn = { source: e.source, sourceHandle: e.sourcePort, target: e.target, targetHandle: e.targetPort };
    const check = checkConnection(nodes, edges, conn);
    if (!check.ok) {
      warnings.push(`Connection ${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort} was dropped: ${check.reason}.`);
      continue;
    }
    if (edges.some((x) => x.target === e.target && x.targetHandle === e.targetPort)) {
      warnings.push(`Input ${e.target}.${e.targetPort} had two connections; kept the first.`);
      continue;
    }
    const fromType = getDefinition(nodes.find((n) => n.id === e.source)?.data.type ?? '')?.outputs[e.sourcePort]?.type;
    edges.push(makeEdge(e.id, e.source, e.sourcePort, e.target, e.targetPort, fromType));
  }
  return { meta: { name: doc.name, ...(doc.description ? { description: doc.description } : {}) }, nodes, edges, warnings };
}
