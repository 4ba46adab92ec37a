/**
 * Whether a proposed connection is allowed, and if not, a sentence the user can read.
 * Used while dragging (isValidConnection), when a drag ends on a refused handle, and when loading a document.
 * The sentence is worded in the UI language of the moment.
 */
import type { Connection, Edge } from '@xyflow/react';
import { wouldCreateCycle } from '../../graph-nodes/core/graph';
import { accepts } from '../../graph-nodes/core/port-types';
import { portTypeText } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { useLang } from '../_i18n/lang-store';
import { t } from '../_i18n/translate';

type NodeLike = { id: string; data: { type: string } };

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

export function checkConnection(nodes: readonly NodeLike[], edges: readonly Edge[], c: Connection): ConnectionCheck {
  if (c.source === c.target) return { ok: false, reason: t('connect.self') };
  const from = nodes.find((n) => n.id === c.source);
  const to = nodes.find((n) => n.id === c.target);
  const fromPort = from && c.sourceHandle ? getDefinition(from.data.type)?.outputs[c.sourceHandle] : undefined;
  const toPort = to && c.targetHandle ? getDefinition(to.data.type)?.inputs[c.targetHandle] : undefined;
  if (!fromPort || !toPort) return { ok: false, reason: t('connect.unknownPort') };
  if (!accepts(toPort.type, fromPort.type)) {
    return {
      ok: false,
      reason: t('connect.types', {
        from: portTypeText(fromPort.type, useLang.getState().lang).label,
        to: portTypeText(toPort.type, useLang.getState().lang).label,
      }),
    };
  }
  // The edge that this connection would replace (one edge per input) does not count towards a cycle.
  const kept = edges.filter((e) => !(e.target === c.target && e.targetHandle === c.targetHandle));
  if (wouldCreateCycle(kept, c.source, c.target)) {
    return { ok: false, reason: t('connect.cycle', { from: from?.id ?? '?', to: to?.id ?? '?' }) };
  }
  return { ok: true };
}
