/**
 * Split: a seeded random partition of an image set, stratified by label. For each label (0, 1, −1) with n
 * images, round(fraction·n) go to b and the rest to a; each output keeps the input order. Shapes: images
 * [N,H,W,C] (masks [N,H,W,1]) → a [N−k,H,W,C], b [k,H,W,C], gathered into fresh tensors; labels and names follow.
 * Standard hold-out validation (e.g. Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, §7.2).
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, type ImageSetValue } from '../core/kernel-types';
import { createRng, shuffledIndices } from '../core/random';
import { splitNode } from './definition';

const labelOrder = [0, 1, -1] as const;
const labelNames: Record<number, string> = { 0: 'normal', 1: 'anomalous', [-1]: 'unlabelled' };

/** Indices of a and b (each ascending): per label, a seeded shuffle sends the first round(fraction·n) to b. */
export function splitIndices(labels: ArrayLike<number>, fraction: number, seed: number): { a: number[]; b: number[] } {
  const rng = createRng(seed);
  const a: number[] = [];
  const b: number[] = [];
  for (const label of labelOrder) {
    const group: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i] === 0 || labels[i] === 1 ? labels[i] : -1;
      if (l === label) group.push(i);
    }
    if (group.length === 0) continue;
    const order = shuffledIndices(group.length, rng);
    const nb = Math.round(fraction * group.length);
    order.forEach((k, pos) => (pos < nb ? b : a).push(group[k]!));
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return { a, b };
}

function countsByLabel(labels: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < labels.length; i++) {
    const name = labelNames[labels[i] === 0 || labels[i] === 1 ? labels[i]! : -1]!;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

function subset(set: ImageSetValue, idx: number[], part: string): ImageSetValue {
  const labels = Int8Array.from(idx, (i) => set.labels[i]!);
  return {
    kind: 'ImageSet',
    images: tf.gather(set.images, idx) as tf.Tensor4D,
    labels,
    names: idx.map((i) => set.names[i] ?? `#${i}`),
    masks: set.masks ? (tf.gather(set.masks, idx) as tf.Tensor4D) : null,
    summary: { source: `${set.summary.source} (split ${part})`, loaded: idx.length, skipped: [], perClass: countsByLabel(labels) },
  };
}

const describeCounts = (set: ImageSetValue) =>
  Object.entries(set.summary.perClass)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');

export const splitKernel = defineKernel(splitNode, {
  async run({ images }, params, ctx) {
    const n = images.images.shape[0];
    if (images.labels.length !== n) {
      throw new KizukiError('SHAPE_MISMATCH', { nodeId: ctx.nodeId, what: `the image set has ${n} images but ${images.labels.length} labels` });
    }
    const { a, b } = splitIndices(images.labels, params.fraction, params.seed);
    if (a.length === 0 || b.length === 0) {
      throw new KizukiError('INVALID_PARAM', {
        nodeId: ctx.nodeId,
        field: 'fraction',
        reason: `= ${params.fraction} leaves output ${a.length === 0 ? 'a' : 'b'} empty (${n} images in, rounded per class)`,
        hint: n < 2 ? 'Connect an image set with at least 2 images.' : 'Move the fraction away from 0 and 1, or load more images.',
      });
    }
    const outA = subset(images, a, 'a');
    const outB = subset(images, b, 'b');
    return { a: outA, b: outB };
  },
  preview({ a, b }, params) {
    return [
      {
        kind: 'text',
        lines: [
          `a: ${a.labels.length} images (${describeCounts(a)})`,
          `b: ${b.labels.length} images (${describeCounts(b)})`,
          `b = ${params.fraction} of each class, seed ${params.seed}`,
        ],
      },
    ];
  },
});
