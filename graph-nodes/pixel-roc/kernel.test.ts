import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { testContext } from '../../tests/unit/helpers/context';
import { KizukiError } from '../core/errors';
import type { HeatmapsValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { rocAnalysis } from '../core/score-stats';
import { pixelRocNode } from './definition';
import { descendingOrder, labelComponents, perRegionOverlap, pixelRocKernel } from './kernel';

const params = (p: Partial<ReturnType<typeof pixelRocNode.params.parse>> = {}) => pixelRocNode.params.parse(p);

function heatmaps(maps: number[], masks: number[] | null, shape: [number, number, number, number], scorer?: string): HeatmapsValue {
  return {
    kind: 'Heatmaps',
    maps: tf.tensor4d(maps, shape),
    masks: masks ? tf.tensor4d(masks, shape) : null,
    labels: Int8Array.from({ length: shape[0] }, () => 1),
    names: Array.from({ length: shape[0] }, (_, i) => `img${i}`),
    ...(scorer ? { scorer } : {}),
  };
}
const free = (h: HeatmapsValue) => tf.dispose(h.masks ? [h.maps, h.masks] : [h.maps]);

describe('connected components and PRO', () => {
  it('labels 8-connected regions per image', () => {
    // Image 0 (4×4): a diagonal pair {(0,0),(1,1)} and a separate pixel (3,3); image 1: one pixel at (0,0).
    const m = new Array(32).fill(0);
    m[0] = m[5] = m[15] = m[16] = 1;
    const { ids, sizes } = labelComponents(m, 2, 4, 4);
    expect(sizes).toEqual([2, 1, 1]);
    expect([ids[0], ids[5], ids[15], ids[16], ids[1]]).toEqual([0, 0, 1, 2, -1]);
  });

  it('descendingOrder sorts float32 scores (negatives, ±0, ties, subnormals) like a comparator sort', () => {
    const rng = createRng(5);
    const s = Float32Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : i % 13 === 0 ? 1e-40 : Math.round(rng.normal() * 50) / 10));
    const order = descendingOrder(s);
    expect(new Set(order).size).toBe(s.length);
    for (let k = 1; k < order.length; k++) expect(s[order[k - 1]!]! >= s[order[k]!]!).toBe(true);
  });

  it('PRO on a hand-made case with two regions (closed form 1 − 0.25/(13·0.3))', () => {
    // 4×4 image; region A = {(0,0),(1,1)} (diagonal: one 8-connected region), region B = {(3,3)}.
    // Scores: A 0.9 and 0.5, B 0.7, one normal pixel 0.6, the other 12 normals 0.1.
    // Curve (FPR, PRO): (0,.25) (0,.75) (1/13,.75) (1/13,1) (1,1); area to 0.3 = .75/13 + (0.3 − 1/13).
    const mask = new Array(16).fill(0);
    const map = new Array(16).fill(0.1);
    mask[0] = mask[5] = mask[15] = 1;
    map[0] = 0.9;
    map[5] = 0.5;
    map[15] = 0.7;
    map[2] = 0.6;
    const { ids, sizes } = labelComponents(mask, 1, 4, 4);
    expect(sizes).toEqual([2, 1]);
    const r = perRegionOverlap(Float32Array.from(map), ids, 2, 0.3);
    expect(r.fpr).toEqual([0, 0, 0, 1 / 13, 1 / 13, 1]);
    expect(r.overlap).toEqual([0, 0.25, 0.75, 0.75, 1, 1]);
    expect(r.pro).toBeCloseTo(1 - 0.25 / (13 * 0.3), 12);
    // A perfect map covers every region before any false positive: PRO = 1.
    expect(perRegionOverlap(Float32Array.from(mask), ids, 2, 0.3).pro).toBeCloseTo(1, 12);
  });
});

describe('pixel-roc kernel', () => {
  it('pixel AUROC of a hand-made 2-image case equals sklearn on the flattened arrays; creates no tensors', async () => {
    // Flattened scores [.1,.4,.2,.3 | .9,.35,.2,.8], labels [0,0,0,0 | 1,1,0,0]:
    // 0.9 beats all 6 normal pixels, 0.35 beats 4 of them → AUROC = 10/12.
    const h = heatmaps([0.1, 0.4, 0.2, 0.3, 0.9, 0.35, 0.2, 0.8], [0, 0, 0, 0, 1, 1, 0, 0], [2, 2, 2, 1], 'padim');
    const before = tf.memory().numTensors;
    const { ctx, warnings } = testContext();
    const { metrics } = await pixelRocKernel.run({ heatmaps: h }, params(), ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect(metrics.auroc).toBeCloseTo(10 / 12, 12);
    expect(metrics.auroc).toBe(rocAnalysis([0.1, 0.4, 0.2, 0.3, 0.9, 0.35, 0.2, 0.8], [0, 0, 0, 0, 1, 1, 0, 0]).auroc);
    expect(metrics).toMatchObject({ scorer: 'padim (pixel)', nNormal: 6, nAnomalous: 2 });
    expect(metrics.pixel).toMatchObject({ auroc: metrics.auroc, pixelsUsed: 8, pixelsTotal: 8, images: 2, regions: 1 });
    expect(warnings).toEqual([]);
    const preview = await pixelRocKernel.preview!({ metrics }, params());
    expect(preview.map((p) => p.kind)).toEqual(['roc', 'text']);
    free(h);
  });

  it('samples pixels deterministically above maxPixels, says so, and stays close to the exact AUROC', async () => {
    const rng = createRng(11);
    const n = 2;
    const size = 100;
    const masks: number[] = [];
    const maps: number[] = [];
    for (let i = 0; i < n * size * size; i++) {
      const y = Math.floor((i % (size * size)) / size);
      const x = i % size;
      const inside = Math.hypot(y - 50, x - 40) < 15 ? 1 : 0;
      masks.push(inside);
      maps.push(rng.normal() + 1.5 * inside);
    }
    const exact = rocAnalysis(maps, masks).auroc;
    const h = heatmaps(maps, masks, [n, size, size, 1]);
    const { ctx, warnings } = testContext();
    const a = await pixelRocKernel.run({ heatmaps: h }, params({ maxPixels: 10_000 }), ctx);
    const b = await pixelRocKernel.run({ heatmaps: h }, params({ maxPixels: 10_000 }), testContext().ctx);
    expect(warnings.join()).toMatch(/20,000 pixels.*sample/);
    expect(a.metrics.pixel!.pixelsUsed).toBeLessThan(12_000);
    expect(a.metrics.auroc).toBe(b.metrics.auroc);
    expect(Math.abs(a.metrics.auroc - exact)).toBeLessThan(0.02);
    expect(a.metrics.roc.fpr.length).toBeLessThanOrEqual(2002);
    free(h);
  });

  it('fails clearly without masks, with empty masks, with NaN maps and with mismatched shapes', async () => {
    const code = async (h: HeatmapsValue) => {
      try {
        await pixelRocKernel.run({ heatmaps: h }, params(), testContext({ nodeId: 'pixel-roc' }).ctx);
        return 'no error';
      } catch (e) {
        return e instanceof KizukiError ? `${e.info.code}: ${e.message} ${e.info.hint}` : String(e);
      } finally {
        free(h);
      }
    };
    expect(await code(heatmaps([0, 1], null, [1, 1, 2, 1]))).toMatch(/^KERNEL_FAILED: .*pixel-roc.*no pixel masks.*phantoms/);
    expect(await code(heatmaps([0, 1], [0, 0], [1, 1, 2, 1]))).toMatch(/^SINGLE_CLASS/);
    // noMasks = skip: a warning and NaN metrics instead of an error (templates that also run on real X-rays).
    const h = heatmaps([0, 1], null, [1, 1, 2, 1]);
    const { ctx, warnings } = testContext();
    const { metrics } = await pixelRocKernel.run({ heatmaps: h }, params({ noMasks: 'skip' }), ctx);
    expect(metrics.auroc).toBeNaN();
    expect(warnings.join()).toMatch(/no pixel masks/);
    expect(await pixelRocKernel.preview!({ metrics }, params())).toEqual([{ kind: 'text', lines: [expect.stringMatching(/No pixel masks/)] }]);
    free(h);
    expect(await code(heatmaps([0, NaN], [0, 1], [1, 1, 2, 1]))).toMatch(/^NON_FINITE_SCORES/);
    const odd: HeatmapsValue = { ...heatmaps([0, 1], null, [1, 1, 2, 1]), masks: tf.zeros([1, 2, 2, 1]) as tf.Tensor4D };
    expect(await code(odd)).toMatch(/^SHAPE_MISMATCH/);
  });

  it('has documented defaults', () => {
    expect(pixelRocNode.params.parse({})).toEqual({ maxPixels: 4_000_000, proFprLimit: 0.3, noMasks: 'error' });
    expect(pixelRocNode.params.safeParse({ proFprLimit: 0 }).success).toBe(false);
  });
});
