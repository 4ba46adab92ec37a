import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { ImageSetValue } from '../core/kernel-types';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { splitNode } from './definition';
import { splitIndices, splitKernel } from './kernel';

/** n 2×2 images whose pixels all equal their index i (so gathered rows can be traced), masks = i/100. */
function indexed(labels: number[], withMasks = true): ImageSetValue {
  const n = labels.length;
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(labels.flatMap((_, i) => [i, i, i, i]), [n, 2, 2, 1]),
    labels: Int8Array.from(labels),
    names: labels.map((_, i) => `img${i}`),
    masks: withMasks ? tf.tensor4d(labels.flatMap((_, i) => [i / 100, 0, 0, 0]), [n, 2, 2, 1]) : null,
    summary: { source: 'test', loaded: n, skipped: [], perClass: {} },
  };
}

const params = (p: Record<string, unknown> = {}) => splitNode.params.parse(p);

describe('split kernel', () => {
  it('stratifies: 10 normal + 5 anomalous + 5 unlabelled at 0.2 → b gets 2 + 1 + 1, a the rest, disjoint and complete', () => {
    const labels = [...new Array(10).fill(0), ...new Array(5).fill(1), ...new Array(5).fill(-1)];
    const { a, b } = splitIndices(labels, 0.2, 7);
    expect(b.filter((i) => labels[i] === 0)).toHaveLength(2);
    expect(b.filter((i) => labels[i] === 1)).toHaveLength(1);
    expect(b.filter((i) => labels[i] === -1)).toHaveLength(1);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    // Seeded: the same seed gives the same split, another seed (here) a different one.
    expect(splitIndices(labels, 0.2, 7)).toEqual({ a, b });
    expect(splitIndices(labels, 0.2, 8).b).not.toEqual(b);
  });

  it('gathers images, labels, names and masks of each part into fresh tensors and leaks nothing', async () => {
    const set = indexed([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const before = tf.memory().numTensors;
    const { ctx } = testContext();
    const out = await splitKernel.run({ images: set }, params({ fraction: 0.5, seed: 3 }), ctx);
    expect(tf.memory().numTensors).toBe(before + 4); // images + masks of a and b
    expect(out.a.labels.length + out.b.labels.length).toBe(10);
    expect(Array.from(out.b.labels).sort()).toEqual([0, 0, 1, 1, 1]);
    for (const part of [out.a, out.b]) {
      const firstPixels = Array.from(part.images.dataSync()).filter((_, k) => k % 4 === 0);
      expect(part.names).toEqual(firstPixels.map((i) => `img${i}`));
      expect(Array.from(part.labels)).toEqual(firstPixels.map((i) => set.labels[i]));
      expect(Array.from(part.masks!.dataSync()).filter((_, k) => k % 4 === 0)).toEqual(firstPixels.map((i) => expect.closeTo(i / 100, 6)));
      expect(part.images).not.toBe(set.images);
      expect(part.summary.loaded).toBe(part.labels.length);
    }
    expect(out.a.summary.perClass).toEqual({ normal: 2, anomalous: 3 });
    const preview = await splitKernel.preview!(out, params({ fraction: 0.5, seed: 3 }));
    expect(preview[0]).toMatchObject({ kind: 'text', lines: ['a: 5 images (2 normal, 3 anomalous)', 'b: 5 images (2 normal, 3 anomalous)', expect.any(String)] });
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    expect(set.images.isDisposed).toBe(false);
    tf.dispose([set.images, set.masks!]);
  });

  it('keeps masks null when the input has none', async () => {
    const set = indexed([0, 0, 0, 0, 0], false);
    const out = await splitKernel.run({ images: set }, params(), testContext().ctx);
    expect([out.a.masks, out.b.masks]).toEqual([null, null]);
    expect([out.a.labels.length, out.b.labels.length]).toEqual([4, 1]);
    disposeOutputs(out);
    set.images.dispose();
  });

  it('refuses a fraction that leaves one output empty, naming the field, without leaking', async () => {
    const set = indexed([0, 0]);
    const before = tf.memory().numTensors;
    const err = await splitKernel.run({ images: set }, params({ fraction: 0.2 }), testContext({ nodeId: 'split' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'split', field: 'fraction' });
    expect(err.info.message).toMatch(/leaves output b empty/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([set.images, set.masks!]);
  });

  it('has defaults fraction 0.2, seed 0 and rejects fractions outside (0, 1)', () => {
    expect(splitNode.params.parse({})).toEqual({ fraction: 0.2, seed: 0 });
    expect(splitNode.params.safeParse({ fraction: 0 }).success).toBe(false);
    expect(splitNode.params.safeParse({ fraction: 1 }).success).toBe(false);
  });
});
