/**
 * The saved pipeline: plain, versioned JSON. The editor, the worker, the CLI and the server parse it with this
 * one schema. Layout (positions) is part of the document; the executor ignores it.
 */
import { z } from 'zod';
import { dataManifestSchema } from './data-manifest';

export const PIPELINE_FORMAT = 'kizuki.pipeline';
export const PIPELINE_SCHEMA_VERSION = 1;

const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'use letters, digits, - and _ only');

export const pipelineNodeSchema = z.object({
  id: idSchema,
  type: z.string().min(1),
  typeVersion: z.number().int().positive(),
  label: z.string().max(100).optional(),
  /** A disabled node is kept in the document but not run; what depends on it is skipped. */
  disabled: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
});

export const pipelineEdgeSchema = z.object({
  id: z.string().min(1),
  source: idSchema,
  sourcePort: z.string().min(1),
  target: idSchema,
  targetPort: z.string().min(1),
});

export const pipelineDocSchema = z.object({
  format: z.literal(PIPELINE_FORMAT),
  schemaVersion: z.literal(PIPELINE_SCHEMA_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  nodes: z.array(pipelineNodeSchema),
  edges: z.array(pipelineEdgeSchema),
  /** The data the last run used (files, counts, content hash; never images), when exported after a run. */
  dataManifest: dataManifestSchema.optional(),
});

export type PipelineNode = z.infer<typeof pipelineNodeSchema>;
export type PipelineEdge = z.infer<typeof pipelineEdgeSchema>;
export type PipelineDoc = z.infer<typeof pipelineDocSchema>;

export type DocIssue = { path: string; message: string };

/** Parse untrusted JSON into a document, or list field-level problems (e.g. `nodes.2.params`). */
export function parsePipelineDoc(json: unknown): { ok: true; doc: PipelineDoc } | { ok: false; issues: DocIssue[] } {
  const result = pipelineDocSchema.safeParse(json);
  if (result.success) return { ok: true, doc: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(document)', message: i.message })),
  };
}
