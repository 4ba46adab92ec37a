/**
 * One node type, declared once: ports, a zod parameter schema (defaults, bounds, help text via `.describe()`),
 * a version with param migrations, and a cache policy. Imports only zod and core, so the editor, the worker,
 * the CLI and the server all read the same declaration.
 *
 * @example
 * export const rocNode = defineNode({
 *   type: 'roc', version: 1, category: 'evaluate', title: 'ROC evaluator',
 *   description: 'ROC curve and AUROC of scores against labels.',
 *   inputs: { scores: { type: 'Scores', label: 'Scores' } },
 *   outputs: { metrics: { type: 'Metrics', label: 'Metrics' } },
 *   params: z.object({}), cache: 'pure',
 * });
 */
import { z } from 'zod';
import type { PortType } from './port-types';

export type PortSpec = {
  type: PortType;
  label: string;
  /** An optional input may stay unconnected. */
  optional?: boolean;
  /**
   * ImageSet inputs only: the kernel reads the set a batch at a time (an ImageStream), so the set never has to be
   * held in memory whole.
   */
  streamed?: boolean;
  /** ImageSet outputs only: the kernel returns a lazy set (no pixels held) when every consumer streams it. */
  lazy?: boolean;
  description?: string;
};

export const categories = ['data', 'preprocess', 'model', 'score', 'evaluate'] as const;
export type Category = (typeof categories)[number];
export const categoryTitles: Record<Category, string> = {
  data: 'Data',
  preprocess: 'Preprocess',
  model: 'Model',
  score: 'Score',
  evaluate: 'Evaluate',
};

/** 'pure': output depends only on params + inputs. 'seeded': stochastic, but a `seed` param makes it repeatable. 'never': always re-run. */
export type CachePolicy = 'pure' | 'seeded' | 'never';

/** Param migration from version v-1 to v, keyed by the target version v. */
export type Migrations = Record<number, (params: Record<string, unknown>) => Record<string, unknown>>;

export type NodeDefinition<
  I extends Record<string, PortSpec> = Record<string, PortSpec>,
  O extends Record<string, PortSpec> = Record<string, PortSpec>,
  P extends z.ZodObject = z.ZodObject,
> = {
  /** Stable kebab-case id, never reused. */
  type: string;
  version: number;
  category: Category;
  title: string;
  /** Single source for the tooltip, the palette and the docs: what it computes, when to use it. */
  description: string;
  /** Paper or source of the method, if any. */
  reference?: string;
  inputs: I;
  outputs: O;
  params: P;
  cache: CachePolicy;
  migrations?: Migrations;
};

export function defineNode<
  const I extends Record<string, PortSpec>,
  const O extends Record<string, PortSpec>,
  P extends z.ZodObject,
>(def: NodeDefinition<I, O, P>): NodeDefinition<I, O, P> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(def.type)) throw new Error(`node type "${def.type}" must be kebab-case`);
  if (def.cache === 'seeded' && !('seed' in def.params.shape)) {
    throw new Error(`node type "${def.type}" is 'seeded' but has no seed param`);
  }
  return def;
}

export type AnyNodeDefinition = NodeDefinition<Record<string, PortSpec>, Record<string, PortSpec>, z.ZodObject>;
export type ParamsOf<D extends AnyNodeDefinition> = z.infer<D['params']>;

/** Field-level problems from parsing params with a node's schema. */
export type ParamIssue = { field: string; message: string };

export function parseParams(
  def: AnyNodeDefinition,
  raw: unknown,
): { ok: true; params: Record<string, unknown> } | { ok: false; issues: ParamIssue[] } {
  const result = def.params.safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data as Record<string, unknown> };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(params)',
      message: issue.message,
    })),
  };
}

/** Defaults of a node's params (what a freshly dropped node gets). */
export function defaultParams(def: AnyNodeDefinition): Record<string, unknown> {
  return def.params.parse({}) as Record<string, unknown>;
}

/** Apply param migrations from `fromVersion` up to the definition's version. */
export function migrateParams(def: AnyNodeDefinition, fromVersion: number, params: Record<string, unknown>) {
  let out = params;
  for (let v = fromVersion + 1; v <= def.version; v++) {
    const step = def.migrations?.[v];
    if (step) out = step(out);
  }
  return out;
}
