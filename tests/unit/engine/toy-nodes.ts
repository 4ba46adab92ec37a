/** Toy node types for engine tests: a seeded source, a scaler, a scorer (recording sink), a slow node, a failing node. */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { type AnyNodeDefinition, defineNode } from '../../../graph-nodes/core/define-node';
import { KizukiError } from '../../../graph-nodes/core/errors';
import { defineKernel, type Kernel, throwIfAborted } from '../../../graph-nodes/core/kernel-types';

export const runs: Record<string, number> = {};
const count = (id: string) => (runs[id] = (runs[id] ?? 0) + 1);
export function resetRuns() {
  for (const k of Object.keys(runs)) delete runs[k];
}

const source = defineNode({
  type: 'toy-source', version: 2, category: 'data', title: 'Toy source', description: 'Constant images.',
  inputs: {}, outputs: { images: { type: 'ImageSet', label: 'Images' } },
  params: z.object({ value: z.number().min(0).max(10).default(1), seed: z.number().int().default(0) }),
  cache: 'seeded',
  migrations: { 2: (p) => ({ ...p, value: p.v ?? p.value }) },
});
const scale = defineNode({
  type: 'toy-scale', version: 1, category: 'preprocess', title: 'Toy scale', description: 'x·factor',
  inputs: { images: { type: 'ImageSet', label: 'Images' } }, outputs: { images: { type: 'ImageSet', label: 'Images' } },
  params: z.object({ factor: z.number().default(2) }), cache: 'pure',
});
const score = defineNode({
  type: 'toy-score', version: 1, category: 'score', title: 'Toy score', description: 'Mean per image.',
  inputs: { images: { type: 'ImageSet', label: 'Images' } }, outputs: { scores: { type: 'Scores', label: 'Scores' } },
  params: z.object({}), cache: 'pure',
});
const slow = defineNode({
  type: 'toy-slow', version: 1, category: 'model', title: 'Toy slow', description: 'Many small steps.',
  inputs: { images: { type: 'ImageSet', label: 'Images' } }, outputs: { images: { type: 'ImageSet', label: 'Images' } },
  params: z.object({ steps: z.number().int().default(1000) }), cache: 'pure',
});
const fail = defineNode({
  type: 'toy-fail', version: 1, category: 'model', title: 'Toy fail', description: 'Always fails.',
  inputs: { images: { type: 'ImageSet', label: 'Images' } }, outputs: { images: { type: 'ImageSet', label: 'Images' } },
  params: z.object({}), cache: 'pure',
});

export const recorded: { scores: number[] }[] = [];

const imageSet = (images: tf.Tensor4D, n: number) => ({
  kind: 'ImageSet' as const, images, masks: null, labels: new Int8Array(n), names: Array.from({ length: n }, (_, i) => `i${i}`),
  summary: { source: 'toy', loaded: n, skipped: [], perClass: {} },
});

const kernels = [
  defineKernel(source, {
    async run(_i, p) {
      count('toy-source');
      return { images: imageSet(tf.fill([2, 2, 2, 1], p.value) as tf.Tensor4D, 2) };
    },
  }),
  defineKernel(scale, {
    async run({ images }, p) {
      count('toy-scale');
      return { images: imageSet(tf.mul(images.images, p.factor) as tf.Tensor4D, 2) };
    },
  }),
  defineKernel(score, {
    async run({ images }) {
      count('toy-score');
      const m = tf.mean(images.images, [1, 2, 3]);
      const scores = (await m.data()) as Float32Array;
      m.dispose();
      recorded.push({ scores: [...scores] });
      return { scores: { kind: 'Scores', scorer: 'toy', scores, labels: images.labels, names: images.names } };
    },
  }),
  defineKernel(slow, {
    async run({ images }, p, ctx) {
      count('toy-slow');
      for (let s = 0; s < p.steps; s++) {
        throwIfAborted(ctx.signal);
        ctx.progress({ fraction: s / p.steps });
        await new Promise((r) => setTimeout(r, 1));
      }
      return { images: imageSet(images.images.clone(), 2) };
    },
  }),
  defineKernel(fail, {
    async run(_i, _p, ctx) {
      count('toy-fail');
      throw new KizukiError('NAN_LOSS', { nodeId: ctx.nodeId, epoch: 3, loss: 'NaN', lastFiniteLoss: '0.25' });
    },
  }),
] as unknown as Kernel[];

const defs = [source, scale, score, slow, fail] as unknown as AnyNodeDefinition[];
export const toyLookup = (type: string) => defs.find((d) => d.type === type);
export const toyKernel = (type: string) => {
  const k = kernels.find((k) => k.definition.type === type);
  if (!k) throw new Error(`no toy kernel ${type}`);
  return k;
};

type N = { id: string; type: string; params?: Record<string, unknown>; typeVersion?: number; disabled?: boolean };
export function toyDoc(nodes: N[], edges: [string, string, string, string][]) {
  return {
    format: 'kizuki.pipeline', schemaVersion: 1, name: 'toy',
    nodes: nodes.map((n) => ({ typeVersion: toyLookup(n.type)?.version ?? 1, params: {}, position: { x: 0, y: 0 }, ...n })),
    edges: edges.map(([source, sourcePort, target, targetPort], i) => ({ id: `e${i}`, source, sourcePort, target, targetPort })),
  };
}
