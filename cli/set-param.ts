/**
 * `--set NODE_ID.PARAM=VALUE`: override one parameter of one node, validated by that node's schema.
 * VALUE is read as JSON when that fits the schema (numbers, booleans, arrays), else as a comma list, else as text,
 * so `size=128`, `grayscale=false`, `channels=16,32,64` and `normalClass=0` all do what they say.
 */
import { z } from 'zod';
import { KizukiError } from '../graph-nodes/core/errors';
import type { PipelineDoc } from '../graph-nodes/core/pipeline-schema';
import { getDefinition } from '../graph-nodes/registry';

export function applySet(doc: PipelineDoc, assignment: string): PipelineDoc {
  const m = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(assignment);
  if (!m) throw new KizukiError('BAD_ARGUMENT', { reason: `--set "${assignment}": expected NODE_ID.PARAM=VALUE` });
  const [, nodeId, param, raw] = m as unknown as [string, string, string, string];
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) {
    throw new KizukiError('BAD_ARGUMENT', {
      reason: `--set ${assignment}: no node "${nodeId}" in this pipeline (nodes: ${doc.nodes.map((n) => n.id).join(', ')})`,
    });
  }
  const def = getDefinition(node.type);
  const field = def?.params.shape[param] as z.ZodType | undefined;
  if (!def || !field) {
    const known = def ? Object.keys(def.params.shape).join(', ') : '';
    throw new KizukiError('BAD_ARGUMENT', { reason: `--set ${assignment}: node "${nodeId}" (${node.type}) has no parameter "${param}" (parameters: ${known})` });
  }
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(raw));
  } catch {
    /* not JSON */
  }
  if (raw.includes(',')) candidates.push(raw.split(',').map((s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s.trim())));
  candidates.push(raw);
  let firstError = '';
  for (const value of candidates) {
    const parsed = field.safeParse(value);
    if (parsed.success) {
      return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: parsed.data } } : n)) };
    }
    firstError ||= parsed.error.issues.map((i) => i.message).join('; ');
  }
  throw new KizukiError('INVALID_PARAM', { nodeId, field: param, reason: `cannot be "${raw}": ${firstError}` });
}
