/**
 * Server-side check of a pipeline document with the editor's and worker's own schemas: the document shape
 * (pipeline-schema.ts) and every node's params (its definition's zod schema). Problems come back field by field,
 * prefixed with the input field (e.g. `doc.nodes.1.params.epochs`).
 */
import { parseParams } from '../graph-nodes/core/define-node';
import { type PipelineDoc, parsePipelineDoc } from '../graph-nodes/core/pipeline-schema';
import { getDefinition } from '../graph-nodes/registry';
import { type FieldIssue, invalid } from './errors';

/** Size caps that keep one document small enough to store and diff (the HTTP layer caps the body as well). */
export const MAX_NODES = 300;
export const MAX_EDGES = 1000;
export const MAX_DOC_CHARS = 1_000_000;

export function docIssues(json: unknown, prefix = 'doc'): { doc: PipelineDoc; issues: FieldIssue[] } | { doc: null; issues: FieldIssue[] } {
  const at = (p: string) => (p === '(document)' ? prefix : `${prefix}.${p}`);
  const parsed = parsePipelineDoc(json);
  if (!parsed.ok) return { doc: null, issues: parsed.issues.map((i) => ({ path: at(i.path), message: i.message })) };
  const doc = parsed.doc;
  const issues: FieldIssue[] = [];
  if (doc.nodes.length > MAX_NODES) issues.push({ path: at('nodes'), message: `at most ${MAX_NODES} nodes` });
  if (doc.edges.length > MAX_EDGES) issues.push({ path: at('edges'), message: `at most ${MAX_EDGES} edges` });
  if (JSON.stringify(doc).length > MAX_DOC_CHARS) issues.push({ path: prefix, message: `larger than ${MAX_DOC_CHARS} characters` });
  doc.nodes.forEach((n, i) => {
    const def = getDefinition(n.type);
    if (!def) {
      issues.push({ path: at(`nodes.${i}.type`), message: `unknown node type "${n.type}"` });
      return;
    }
    if (n.typeVersion > def.version) {
      issues.push({ path: at(`nodes.${i}.typeVersion`), message: `${n.type} v${n.typeVersion} is newer than this server's v${def.version}` });
      return;
    }
    // Older versions are migrated when opened; only current-version params can be checked here.
    if (n.typeVersion < def.version) return;
    const r = parseParams(def, n.params);
    if (!r.ok) for (const p of r.issues) issues.push({ path: at(`nodes.${i}.params.${p.field}`), message: `${n.id}: ${p.message}` });
  });
  return issues.length > 0 ? { doc: null, issues } : { doc, issues };
}

/** The parsed document, or a BAD_REQUEST listing every problem. */
export function validDoc(json: unknown, prefix = 'doc'): PipelineDoc {
  const r = docIssues(json, prefix);
  if (!r.doc) throw invalid(`The pipeline is not valid: ${r.issues.length} problem(s). Fix the listed fields and save again.`, r.issues);
  return r.doc;
}
