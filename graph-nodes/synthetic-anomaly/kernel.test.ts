import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { testContext } from '../../tests/unit/helpers/context';
import { planPipeline } from '../../workers/engine/plan';
import { disposeOutputs } from '../../workers/engine/values';
import { KizukiError } from '../core/errors';
import type { ImageSetValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { bodyRegion, cutpaste, invert, mirror, nodule, otsuThreshold, patch, type SyntheticOptions } from './anomalies';
import { syntheticAnomalyNode, syntheticKinds } from './definition';
import { anomalyCount, syntheticAnomalyKernel } from './kernel';

type Params = ReturnType<typeof syntheticAnomalyNode.params.parse>;
const params = (p: Partial<Params> = {}): Params => syntheticAnomalyNode.params.parse(p);
const opts: SyntheticOptions = { placement: 'body', noduleRadius: [0.05, 0.1], patchRadius: [0.1, 0.2], intensity: 0.4 };

/** A toy radiograph: dark air, a bright body band (columns 6..25) and two darker lungs inside it, plus texture. */
function chest(size = 32, seed = 1): Float32Array {
  const rng = createRng(seed);
  const img = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const body = x >= (size * 6) / 32 && x <= (size * 25) / 32;
      const lung = body && y > size * 0.2 && y < size * 0.75 && ((x > size * 0.28 && x < size * 0.45) || (x > size * 0.55 && x < size * 0.72));
      img[y * size + x] = (lung ? 0.2 : body ? 0.6 : 0.05) + 0.02 * rng.next();
    }
  }
  // Asymmetry (a "heart" on the image right), so mirroring changes something.
  for (let y = 18; y < 24; y++) for (let x = 17; x < 22; x++) img[y * size + x] = 0.7;
  return img;
}

function normals(n: number, size = 32, labels?: number[]): ImageSetValue {
  const data = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) data.set(chest(size, i + 1), i * size * size);
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(data, [n, size, size, 1]),
    labels: Int8Array.from(labels ?? new Array<number>(n).fill(0)),
    names: Array.from({ length: n }, (_, i) => `n${i}`),
    masks: null,
    summary: { source: 'test', loaded: n, skipped: [], perClass: { normal: n } },
  };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('synthetic anomalies (pixel functions)', () => {
  // 2×3 image, hand-computed.
  const img = Float32Array.from([0.1, 0.2, 0.9, 0.4, 0.5, 0.6]);
  const g = { h: 2, w: 3, c: 1 };

  it('mirror and invert of a 2×3 image', () => {
    const m = mirror(img, g);
    expect(Array.from(m.image)).toEqual([0.9, 0.2, 0.1, 0.6, 0.5, 0.4].map((v) => expect.closeTo(v, 6)));
    // |change| = [.8 0 .8; .2 0 .2]; 3×3 means (clipped windows) are .25, .333, .25 on both rows: all above 0.05.
    expect(Array.from(m.mask)).toEqual([1, 1, 1, 1, 1, 1]);
    const inv = invert(img, g);
    expect(Array.from(inv.image)).toEqual([0.9, 0.8, 0.1, 0.6, 0.5, 0.4].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(inv.mask)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('mirror masks only the pixels that change, and falls back to the whole image on a symmetric one', () => {
    const size = 32;
    const m = mirror(chest(size), { h: size, w: size, c: 1 });
    const area = sum(m.mask) / (size * size);
    expect(area).toBeGreaterThan(0.02);
    expect(area).toBeLessThan(0.6);
    const sym = Float32Array.from({ length: 16 }, (_, i) => [0.1, 0.5, 0.5, 0.1][i % 4]!);
    const s = mirror(sym, { h: 4, w: 4, c: 1 });
    expect(s.fallback).toMatch(/symmetric/);
    expect(sum(s.mask)).toBe(16);
  });

  it('Otsu threshold separates two modes; the body region spans each row between bright pixels', () => {
    const t = otsuThreshold([0.1, 0.12, 0.11, 0.1, 0.8, 0.82, 0.79])!;
    expect(t).toBeGreaterThan(0.12);
    expect(t).toBeLessThan(0.79);
    expect(otsuThreshold([0.3, 0.3, 0.3])).toBeNull();
    const row = Float32Array.from([0, 0, 1, 0.2, 1, 0, 0]);
    expect(Array.from(bodyRegion(row, { h: 1, w: 7, c: 1 }))).toEqual([0, 0, 1, 1, 1, 0, 0]);
  });

  it.each(['nodule', 'patch', 'cutpaste'] as const)('%s: non-empty mask, changes confined near it, centre in the body', (kind) => {
    const size = 32;
    const src = chest(size);
    const geom = { h: size, w: size, c: 1 };
    const region = bodyRegion(src, geom);
    const rng = createRng(11);
    const fn = { nodule, patch, cutpaste }[kind];
    for (let trial = 0; trial < 20; trial++) {
      const syn = fn(src, geom, rng, opts, region);
      const area = sum(syn.mask);
      expect(area).toBeGreaterThan(0);
      expect(syn.mask.every((v) => v === 0 || v === 1)).toBe(true);
      expect(Math.min(...syn.image)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...syn.image)).toBeLessThanOrEqual(1);
      let cx = 0;
      let cy = 0;
      for (let p = 0; p < size * size; p++) {
        if (syn.mask[p]) {
          cx += p % size;
          cy += Math.floor(p / size);
        }
      }
      expect(region[Math.round(cy / area) * size + Math.round(cx / area)]).toBe(1);
      // Nodules and patches only brighten, most inside the mask; CutPaste changes nothing outside its rectangle.
      let minChange = Infinity;
      let inside = 0;
      let outsideChanged = 0;
      for (let p = 0; p < size * size; p++) {
        const d = syn.image[p]! - src[p]!;
        minChange = Math.min(minChange, d);
        if (syn.mask[p]) inside = Math.max(inside, d);
        else if (d !== 0) outsideChanged++;
      }
      if (kind === 'cutpaste') expect(outsideChanged).toBe(0);
      else {
        expect(minChange).toBeGreaterThanOrEqual(-1e-7);
        // At least half the amplitude (≥ 0.6 × 0.4 × ½) where the mask is, unless capped at 1.
        expect(inside).toBeGreaterThan(0.11);
      }
    }
  });
});

describe('synthetic-anomaly kernel', () => {
  it('keepNormals: all normals (label 0, empty masks, unchanged) + anomalies with masks; fraction respected', async () => {
    const input = normals(8);
    const { ctx, warnings } = testContext();
    const out = await syntheticAnomalyKernel.run({ images: input }, params({ kinds: [...syntheticKinds], fraction: 0.5, seed: 2 }), ctx);
    const v = out.images;
    expect(v.images.shape).toEqual([16, 32, 32, 1]);
    expect(Array.from(v.labels)).toEqual([...new Array(8).fill(0), ...new Array(8).fill(1)]);
    const px = 32 * 32;
    const masks = v.masks!.dataSync();
    const data = v.images.dataSync();
    const src = input.images.dataSync();
    for (let i = 0; i < 16; i++) {
      const area = sum(masks.subarray(i * px, (i + 1) * px));
      if (i < 8) {
        expect(area).toBe(0);
        expect(Array.from(data.subarray(i * px, (i + 1) * px))).toEqual(Array.from(src.subarray(i * px, (i + 1) * px)));
      } else expect(area).toBeGreaterThan(0);
    }
    expect(Math.min(...data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...data)).toBeLessThanOrEqual(1);
    // Kinds in turn; each anomaly names its source and kind.
    expect(v.names.slice(8).map((n) => n.replace(/^n\d+#/, ''))).toEqual(['mirror1', 'invert1', 'nodule1', 'patch1', 'cutpaste1', 'mirror1', 'invert1', 'nodule1']);
    expect(new Set(v.names).size).toBe(16);
    expect(v.summary.perClass).toEqual({ normal: 8, mirror: 2, invert: 2, nodule: 2, patch: 1, cutpaste: 1 });
    expect(warnings).toEqual([]);
    disposeOutputs(out);
    input.images.dispose();
  });

  it.each([
    [true, 0.25, 3],
    [true, 0.9, 72],
    [false, 0.25, 2],
    [false, 1, 8],
    [false, 0, 0],
  ] as const)('keepNormals=%s, fraction=%s → %s anomalies', async (keepNormals, fraction, expected) => {
    expect(anomalyCount(8, fraction, keepNormals)).toBe(expected);
    const input = normals(8, 16);
    const out = await syntheticAnomalyKernel.run({ images: input }, params({ keepNormals, fraction }), testContext().ctx);
    const labels = Array.from(out.images.labels);
    expect(labels.filter((l) => l === 1)).toHaveLength(expected);
    expect(labels).toHaveLength(keepNormals ? 8 + expected : 8);
    const px = 16 * 16;
    const masks = out.images.masks!.dataSync();
    labels.forEach((l, i) => expect(sum(masks.subarray(i * px, (i + 1) * px)) > 0).toBe(l === 1));
    disposeOutputs(out);
    input.images.dispose();
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const input = normals(4);
    const runOnce = async (seed: number) => {
      const out = await syntheticAnomalyKernel.run({ images: input }, params({ kinds: ['nodule', 'patch', 'cutpaste'], seed }), testContext().ctx);
      const data = Array.from(out.images.images.dataSync());
      const masks = Array.from(out.images.masks!.dataSync());
      disposeOutputs(out);
      return { data, masks };
    };
    const a = await runOnce(1);
    const b = await runOnce(1);
    const c = await runOnce(2);
    expect(a).toEqual(b);
    expect(a.masks).not.toEqual(c.masks);
    input.images.dispose();
  });

  it('leaves anomalous inputs out, treats unlabelled ones as normal, and says so', async () => {
    const input = normals(4, 16, [0, 1, -1, 0]);
    const { ctx, warnings } = testContext();
    const out = await syntheticAnomalyKernel.run({ images: input }, params({ keepNormals: false, fraction: 0 }), ctx);
    expect(out.images.names).toEqual(['n0', 'n2', 'n3']);
    expect(Array.from(out.images.labels)).toEqual([0, 0, 0]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/1 input image is labelled anomalous/);
    disposeOutputs(out);
    input.images.dispose();
  });

  it('fails with NO_IMAGES when every input is anomalous', async () => {
    const input = normals(2, 16, [1, 1]);
    await expect(syntheticAnomalyKernel.run({ images: input }, params(), testContext({ nodeId: 'syn' }).ctx)).rejects.toSatisfy(
      (e) => e instanceof KizukiError && e.info.code === 'NO_IMAGES' && e.info.nodeId === 'syn' && /include = normal/.test(e.info.hint),
    );
    input.images.dispose();
  });

  it('frees everything it made: numTensors is back to baseline after disposeOutputs (preview included)', async () => {
    const input = normals(4, 16);
    const before = tf.memory().numTensors;
    const p = params();
    const out = await syntheticAnomalyKernel.run({ images: input }, p, testContext().ctx);
    expect(tf.memory().numTensors).toBe(before + 2);
    const preview = await syntheticAnomalyKernel.preview!(out, p);
    const images = preview.find((q) => q.kind === 'images');
    expect(images?.kind === 'images' && images.images.length).toBe(8);
    // Anomalies carry a red mask outline; normals none.
    if (images?.kind === 'images') {
      for (const t of images.images) {
        let red = 0;
        for (let i = 0; i < t.rgba.length; i += 4) if (t.rgba[i] === 255 && t.rgba[i + 1] === 60 && t.rgba[i + 2] === 60) red++;
        expect(red > 0, t.name).toBe(t.label === 1);
      }
    }
    expect(tf.memory().numTensors).toBe(before + 2);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    input.images.dispose();
  });

  it('has documented defaults and rejects bad params, naming the field', () => {
    expect(params()).toEqual({
      kinds: ['mirror', 'nodule', 'patch', 'cutpaste'],
      fraction: 0.5,
      keepNormals: true,
      placement: 'body',
      noduleRadiusMin: 0.03,
      noduleRadiusMax: 0.07,
      patchRadiusMin: 0.08,
      patchRadiusMax: 0.16,
      intensity: 0.35,
      seed: 0,
    });
    const fieldOf = (p: object) => {
      const r = syntheticAnomalyNode.params.safeParse(p);
      return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(fieldOf({ kinds: [] })).toEqual(['kinds']);
    expect(fieldOf({ kinds: ['blur'] })).toEqual(['kinds.0']);
    expect(fieldOf({ fraction: 1.5 })).toEqual(['fraction']);
    expect(fieldOf({ fraction: 0.95 })).toEqual(['fraction']);
    expect(fieldOf({ fraction: 0.95, keepNormals: false })).toBeNull();
    expect(fieldOf({ noduleRadiusMin: 0.2, noduleRadiusMax: 0.1 })).toEqual(['noduleRadiusMax']);
    expect(fieldOf({ patchRadiusMin: 0.3 })).toEqual(['patchRadiusMax']);
  });
});

describe('synthetic-eval fixture pipeline', () => {
  const doc = JSON.parse(readFileSync(new URL('../../tests/fixtures/pipelines/synthetic-eval.json', import.meta.url), 'utf8')) as {
    nodes: { id: string; params: Record<string, unknown> }[];
  };

  it('plans: normals → synthetic-anomaly → autoencoder (trained on other normals) → residual → roc', () => {
    const plan = planPipeline(doc);
    expect(plan.ok, JSON.stringify(!plan.ok && plan.issues)).toBe(true);
    if (!plan.ok) return;
    const order = plan.plan.order.map((n) => n.id);
    expect(order.indexOf('test-normals')).toBeLessThan(order.indexOf('synthetic'));
    expect(order.indexOf('synthetic')).toBeLessThan(order.indexOf('ae'));
    expect(order.at(-1)).toBe('roc');
    const ae = plan.plan.order.find((n) => n.id === 'ae')!;
    expect(ae.inputs).toEqual({ train: { nodeId: 'train-data', port: 'images' }, images: { nodeId: 'synthetic', port: 'images' } });
  });

  it('reports a bad synthetic-anomaly param as INVALID_PARAM on that node and field', () => {
    const bad = structuredClone(doc);
    bad.nodes.find((n) => n.id === 'synthetic')!.params.fraction = 0.95;
    const plan = planPipeline(bad);
    expect(plan.ok).toBe(false);
    if (!plan.ok) {
      expect(plan.issues).toEqual([expect.objectContaining({ code: 'INVALID_PARAM', nodeId: 'synthetic', field: 'fraction' })]);
      expect(plan.issues[0]!.message).toMatch(/at most 0\.9 while keepNormals is on/);
    }
  });
});
