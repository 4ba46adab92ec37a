import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dataManifestSchema } from '../../graph-nodes/core/data-manifest';
import type { ImageSetValue, LazyImageSetValue } from '../../graph-nodes/core/kernel-types';
import { imageSetManifest, runManifest } from './manifest';

function set(pixels: number[], names: string[], labels: number[]): ImageSetValue {
  const n = names.length;
  const px = pixels.length / n;
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(pixels, [n, Math.sqrt(px), Math.sqrt(px), 1]),
    labels: Int8Array.from(labels),
    names,
    masks: null,
    summary: { source: 'folder/x', loaded: n, skipped: [{ name: 'bad.png', reason: 'not a PNG' }], perClass: { NORMAL: 1, PNEUMONIA: n - 1 } },
  };
}

describe('data manifest of a run', () => {
  it('counts, lists and hashes an image set; any changed pixel, name or label changes the hash', async () => {
    const base = set([0, 0.5, 1, 0.25, 0.1, 0.2, 0.3, 0.4], ['a.png', 'b.png'], [0, 1]);
    const before = tf.memory().numTensors;
    const m = await imageSetManifest('test', base);
    expect(tf.memory().numTensors).toBe(before);
    expect(m).toMatchObject({ nodeId: 'test', source: 'folder/x', count: 2, files: ['a.png', 'b.png'], labels: { normal: 1, anomalous: 1, unlabelled: 0 }, skipped: [{ name: 'bad.png', reason: 'not a PNG' }] });
    const same = await imageSetManifest('test', set([0, 0.5, 1, 0.25, 0.1, 0.2, 0.3, 0.4], ['a.png', 'b.png'], [0, 1]));
    expect(same.contentHash).toBe(m.contentHash);
    const changed = [
      set([0, 0.5, 1, 0.25, 0.1, 0.2, 0.3, 0.41], ['a.png', 'b.png'], [0, 1]),
      set([0, 0.5, 1, 0.25, 0.1, 0.2, 0.3, 0.4], ['a.png', 'c.png'], [0, 1]),
      set([0, 0.5, 1, 0.25, 0.1, 0.2, 0.3, 0.4], ['a.png', 'b.png'], [0, 0]),
    ];
    for (const c of changed) expect((await imageSetManifest('test', c)).contentHash).not.toBe(m.contentHash);
    for (const v of [base, ...changed]) v.images.dispose();
  });

  it('covers the image sets still available and validates against its schema', async () => {
    const a = set([0, 1, 0, 1], ['a.png'], [0]);
    const m = await runManifest(['a', 'gone'], (id) => (id === 'a' ? { images: a } : undefined), new Date('2026-01-01T00:00:00Z'));
    expect(m.imageSets.map((s) => s.nodeId)).toEqual(['a']);
    expect(dataManifestSchema.parse(JSON.parse(JSON.stringify(m)))).toEqual(m);
    a.images.dispose();
  });
});

describe('data manifest of a lazy (streamed) image set', () => {
  it('hashes a lazy set exactly like the same set held in memory', async () => {
    const pixels = Float32Array.from({ length: 3 * 4 }, (_, i) => i / 12);
    const resident = set(Array.from(pixels), ['a.png', 'b.png', 'c.png'], [0, 1, -1]);
    const lazy: LazyImageSetValue = {
      kind: 'ImageSet',
      images: null,
      masks: null,
      imageShape: [2, 2, 1],
      hasMasks: false,
      labels: resident.labels,
      names: resident.names,
      summary: resident.summary,
      source: { read: async (indices) => ({ images: Float32Array.from(indices.flatMap((i) => Array.from(pixels.subarray(i * 4, i * 4 + 4)))), masks: null }) },
    };
    const a = await imageSetManifest('x', resident);
    const b = await imageSetManifest('x', lazy);
    expect(b).toEqual(a);
    expect(b.labels).toEqual({ normal: 1, anomalous: 1, unlabelled: 1 });
    resident.images.dispose();
  });
});
