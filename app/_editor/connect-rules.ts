/**
 * Whether a proposed connection is allowed, and if not, a sentence the user can read.
 * Used while dragging (isValidConnection), when a drag ends on a refused handle, and when loading a document.
 */
import type { Connection, Edge } from '@xyflow/react';
import { wouldCreateCycle } from '../../graph-nodes/core/graph';
import { accepts, portTypes } from '../../graph-nodes/core/port-types';
import { getDefinition } from '../../graph-nodes/registry';

type NodeLike = { id: string; data: { type: string } };

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

export function checkConnection(nodes: readonly NodeLike[], edges: readonly Edge[], c: Connection): ConnectionCheck {
  if (c.source === c.target) return { ok: false, reason: 'Cannot connect a node to itself' };
  const from = nodes.find((n) => n.id === c.source);
  const to = nodes.find((n) => n.id === c.target);
  const fromPort = from && c.sourceHandle ? getDefinition(from.data.type)?.outputs[c.sourceHandle] : undefined;
  const toPort = to && c.targetHandle ? getDefinition(to.data.type)?.inputs[c.targetHandle] : undefined;
  if (!fromPort || !toPort) return { ok: false, reason: 'Cannot connect: unknown port' };
  if (!accepts(toPort.type, fromPort.type)) {
    return {
      ok: false,
      reason: `Cannot connect ${portTypes[fromPort.type].label} output to ${portTypes[toPort.type].label} input: types differ`,
    };
  }
  // The edge that this connection would replace (one edge per input) does not count towards a cycle.
  const kept = edges.filter((e) => !(e.target === c.target && e.targetHandle === c.targetHandle));
  if (wouldCreateCycle(kept, c.source, c.target)) {
    return { ok: false, reason: `Cannot connect ${from?.id} to ${to?.id}: it would create a cycle` };
  }
  return { ok: true };
}
