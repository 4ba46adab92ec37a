/**
 * Plan a pipeline: parse the document, migrate and validate each node's params, check edges, port types and
 * required inputs, and sort topologically. Pure (no tfjs); returns either a Plan or every problem found, each
 * attributed to a node (and field) so the editor can show it where it happens. Layout is dropped here.
 */
import { type AnyNodeDefinition, migrateParams, parseParams } from '../../graph-nodes/core/define-node';
import { type ErrorInfo, errorInfo } from '../../graph-nodes/core/errors';
import { parsePipelineDoc, type PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { accepts, portTypes } from '../../graph-nodes/core/port-types';
import { getDefinition } from '../../graph-nodes/registry';

export type PlannedNode = {
  id: string;
  definition: AnyNodeDefinition;
  params: Record<string, unknown>;
  /** Input port name → upstream node id and output port name. */
  inputs: Record<string, { nodeId: string; port: string }>;
  /** Switched off by the user: not run, its dependants are skipped, its params and inputs are not checked. */
  disabled: boolean;
};

export type Plan = { name: string; order: PlannedNode[] };

export type PlanResult = { ok: true; plan: Plan } | { ok: false; issues: ErrorInfo[] };

/** Looks a node type up; tests pass their own to plan toy node types. */
export type DefinitionLookup = (type: string) => AnyNodeDefinition | undefined;

export function planPipeline(json: unknown, lookup: DefinitionLookup = getDefinition): PlanResult {
  const parsed = parsePipelineDoc(json);
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.issues.map((i) =>
        errorInfo('INVALID_PIPELINE', { reason: `${i.path}: ${i.message}`, field: i.path }),
      ),
    };
  }
  return planDoc(parsed.doc, lookup);
}

export function planDoc(doc: PipelineDoc, lookup: DefinitionLookup = getDefinition): PlanResult {
  const issues: ErrorInfo[] = [];
  const nodes = new Map<string, PlannedNode>();

  for (const node of doc.nodes) {
    if (nodes.has(node.id)) {
      issues.push(errorInfo('DUPLICATE_ID', { nodeId: node.id }));
      continue;
    }
    const definition = lookup(node.type);
    if (!definition) {
      issues.push(errorInfo('UNKNOWN_NODE_TYPE', { nodeId: node.id, type: node.type }));
      continue;
    }
    if (node.typeVersion > definition.version) {
      issues.push(
        errorInfo('NEWER_NODE_VERSION', { nodeId: node.id, type: node.type, version: node.typeVersion, known: definition.version }),
      );
      continue;
    }
    const migrated = migrateParams(definition, node.typeVersion, node.params);
    const params = parseParams(definition, migrated);
    if (!params.ok && !node.disabled) {
      for (const p of params.issues) {
        issues.push(errorInfo('INVALID_PARAM', { nodeId: node.id, field: p.field, reason: lowerFirst(p.message) }));
      }
      // Keep the node (with defaults) so edge and cycle checks still report on it.
    }
    nodes.set(node.id, {
      id: node.id,
      definition,
      params: params.ok ? params.params : {},
      inputs: {},
      disabled: node.disabled === true,
    });
  }

  for (const edge of doc.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      if (!isUnknownType(doc, missing, lookup)) {
        issues.push(errorInfo('BAD_EDGE', { edgeId: edge.id, reason: `node "${missing}" does not exist` }));
      }
      continue;
    }
    const out = source.definition.outputs[edge.sourcePort];
    const inp = target.definition.inputs[edge.targetPort];
    if (!out) {
      issues.push(errorInfo('BAD_EDGE', { edgeId: edge.id, nodeId: source.id, reason: `${source.definition.title} "${source.id}" has no output "${edge.sourcePort}"` }));
      continue;
    }
    if (!inp) {
      issues.push(errorInfo('BAD_EDGE', { edgeId: edge.id, nodeId: target.id, reason: `${target.definition.title} "${target.id}" has no input "${edge.targetPort}"` }));
      continue;
    }
    if (!accepts(inp.type, out.type)) {
      issues.push(
        errorInfo('TYPE_MISMATCH', {
          nodeId: target.id,
          from: `${portTypes[out.type].label} (${source.id}.${edge.sourcePort})`,
          to: `${portTypes[inp.type].label} (${target.id}.${edge.targetPort})`,
        }),
      );
      continue;
    }
    if (target.inputs[edge.targetPort]) {
      issues.push(errorInfo('BAD_EDGE', { edgeId: edge.id, nodeId: target.id, reason: `input "${target.id}.${edge.targetPort}" has more than one connection` }));
      continue;
    }
    target.inputs[edge.targetPort] = { nodeId: source.id, port: edge.sourcePort };
  }

  for (const node of nodes.values()) {
    if (node.disabled) continue;
    for (const [port, spec] of Object.entries(node.definition.inputs)) {
      if (!spec.optional && !node.inputs[port]) issues.push(errorInfo('MISSING_INPUT', { nodeId: node.id, port }));
    }
  }

  const sorted = topologicalOrder([...nodes.values()]);
  if (!sorted.ok) issues.push(errorInfo('CYCLE', { nodes: sorted.cycle.join(' → '), nodeId: sorted.cycle[0] }));

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, plan: { name: doc.name, order: sorted.ok ? sorted.order : [] } };
}

/** Kahn's algorithm, stable in document order; on a cycle, returns the nodes left on it. */
export function topologicalOrder(
  nodes: PlannedNode[],
): { ok: true; order: PlannedNode[] } | { ok: false; cycle: string[] } {
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const children = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) {
    for (const { nodeId } of Object.values(n.inputs)) {
      if (!indegree.has(nodeId)) continue;
      indegree.set(n.id, (indegree.get(n.id) ?? 0) + 1);
      children.get(nodeId)!.push(n.id);
    }
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ready = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: PlannedNode[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(byId.get(id)!);
    for (const child of children.get(id)!) {
      const d = indegree.get(child)! - 1;
      indegree.set(child, d);
      if (d === 0) ready.push(child);
    }
  }
  if (order.length === nodes.length) return { ok: true, order };
  return { ok: false, cycle: nodes.filter((n) => (indegree.get(n.id) ?? 0) > 0).map((n) => n.id) };
}

/** An edge to a node of unknown type is not reported again (the node already is). */
function isUnknownType(doc: PipelineDoc, id: string, lookup: DefinitionLookup): boolean {
  const node = doc.nodes.find((n) => n.id === id);
  return node !== undefined && !lookup(node.type);
}

function lowerFirst(s: string) {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
