import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { testContext } from '../../tests/unit/helpers/context';
import { planPipeline } from '../../workers/engine/plan';
import { disposeOutputs } from '../../workers/engine/values';
import { KizukiError } from '../core/errors';
import type { ImageSetValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { augmentNode } from './definition';
import { augmentKernel } from './kernel';
import { binarise, drawAugmentation, normalStream, photometric, warp } from './transforms';

type Params = ReturnType<typeof augmentNode.params.parse>;
/** Every transform off unless the test turns it on. */
const params = (p: Partial<Params> = {}): Params =>
  augmentNode.params.parse({ flipHorizontal: 0, rotationDegrees: 0, brightness: 0, contrast: 0, noiseStd: 0, keepOriginals: false, ...p });

function set(values: ArrayLike<number>, shape: [number, number, number, number], masks?: ArrayLike<number>): ImageSetValue {
  const n = shape[0];
  return {
    kind: 'ImageSet',
    images: tf.tensor4d(Float32Array.from(values), shape),
    labels: Int8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 1)),
    names: Array.from({ length: n }, (_, i) => `img${i}`),
    masks: masks ? tf.tensor4d(Float32Array.from(masks), [n, shape[1], shape[2], 1]) : null,
    summary: { source: 'test', loaded: n, skipped: [], perClass: { normal: Math.ceil(n / 2), anomalous: Math.floor(n / 2) } },
  };
}
const free = (s: ImageSetValue) => tf.dispose([s.images, ...(s.masks ? [s.masks] : [])]);
const random = (n: number, seed = 7) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next());
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

async function run(input: ImageSetValue, p: Params) {
  const { ctx } = testContext();
  const out = await augmentKernel.run({ images: input }, p, ctx);
  return { out, data: (await out.images.images.data()) as Float32Array };
}

describe('augment transforms', () => {
  // 2×3 image, hand-computed left-right flip.
  const img = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

  it('flips a 2×3 image left-right exactly (warp and kernel)', async () => {
    const out = new Float32Array(6);
    warp(Float32Array.from(img), 0, 2, 3, 1, { flip: true, angle: 0, crop: null }, 'edge', out, 0);
    expect(Array.from(out)).toEqual([0.3, 0.2, 0.1, 0.6, 0.5, 0.4].map((v) => expect.closeTo(v, 6)));
    const input = set(img, [1, 2, 3, 1]);
    const { out: res, data } = await run(input, params({ flipHorizontal: 1 }));
    expect(Array.from(data)).toEqual([0.3, 0.2, 0.1, 0.6, 0.5, 0.4].map((v) => expect.closeTo(v, 6)));
    disposeOutputs(res);
    free(input);
  });

  it('rotation by 0 is the identity; by 180° equals flip up-down + left-right', () => {
    const h = 8;
    const w = 10;
    const src = random(h * w * 2);
    const id = new Float32Array(src.length);
    warp(src, 0, h, w, 2, { flip: false, angle: 0, crop: null }, 'zero', id, 0);
    expect(Array.from(id)).toEqual(Array.from(src));
    const rot = new Float32Array(src.length);
    warp(src, 0, h, w, 2, { flip: false, angle: Math.PI, crop: null }, 'zero', rot, 0);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        for (let k = 0; k < 2; k++) {
          expect(rot[(y * w + x) * 2 + k]).toBeCloseTo(src[((h - 1 - y) * w + (w - 1 - x)) * 2 + k]!, 5);
        }
      }
    }
  });

  it('positive angles turn the picture counter-clockwise (right-middle pixel goes to top-middle at +90°)', () => {
    const src = new Float32Array(9);
    src[1 * 3 + 2] = 1;
    const out = new Float32Array(9);
    warp(src, 0, 3, 3, 1, { flip: false, angle: Math.PI / 2, crop: null }, 'zero', out, 0);
    expect(out[0 * 3 + 1]).toBeCloseTo(1, 6);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('fill: zero blackens uncovered corners, edge repeats the border', () => {
    const src = new Float32Array(16).fill(0.8);
    const zero = new Float32Array(16);
    const edge = new Float32Array(16);
    warp(src, 0, 4, 4, 1, { flip: false, angle: Math.PI / 4, crop: null }, 'zero', zero, 0);
    warp(src, 0, 4, 4, 1, { flip: false, angle: Math.PI / 4, crop: null }, 'edge', edge, 0);
    expect(zero[0]!).toBeLessThan(0.8);
    expect(maxAbsDiff(edge, src)).toBeLessThan(1e-6);
  });

  it('crop of the full window is the identity; a half-size crop upsamples its quarter', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    const full = new Float32Array(16);
    warp(src, 0, 4, 4, 1, { flip: false, angle: 0, crop: { x0: 0, y0: 0, w: 4, h: 4 } }, 'edge', full, 0);
    expect(maxAbsDiff(full, src)).toBeLessThan(1e-6);
    // Top-left 2×2 window [0,2]² resized to 4×4 (half-pixel centres): output x=0 samples x=-0.25 → clamped to 0.
    const quarter = new Float32Array(16);
    warp(src, 0, 4, 4, 1, { flip: false, angle: 0, crop: { x0: 0, y0: 0, w: 2, h: 2 } }, 'edge', quarter, 0);
    expect(quarter[0]).toBeCloseTo(src[0]!, 6);
    // Output (x=1,y=0) samples x = 0.25: 0.75·src[0] + 0.25·src[1].
    expect(quarter[1]).toBeCloseTo(0.75 * src[0]! + 0.25 * src[1]!, 6);
    // src is linear in (x, y), so bilinear sampling is exact: output (3,3) samples (1.25, 1.25) → (4·1.25 + 1.25)/16.
    expect(quarter[15]).toBeCloseTo((4 * 1.25 + 1.25) / 16, 6);
  });

  it('brightness and contrast follow x → m + f·(x − m) + b, then clip', () => {
    const x = Float32Array.from([0.2, 0.4, 0.6, 0.8]);
    photometric(x, 0, 4, 1, 1.5, 0.1, 0, () => 0);
    expect(Array.from(x)).toEqual([0.15, 0.45, 0.75, 1].map((v) => expect.closeTo(v, 6)));
    const y = Float32Array.from([0.2, 0.4, 0.6, 0.8]);
    photometric(y, 0, 4, 1, 0.5, 0, 0, () => 0);
    expect(Array.from(y)).toEqual([0.35, 0.45, 0.55, 0.65].map((v) => expect.closeTo(v, 6)));
  });

  it('draws settings within their bounds', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      const a = drawAugmentation(rng, { flipHorizontal: 0.5, rotationDegrees: 15, cropScale: 0.5, brightness: 0.1, contrast: 0.2 }, 32, 48);
      expect(Math.abs(a.angle)).toBeLessThanOrEqual((15 * Math.PI) / 180);
      expect(Math.abs(a.brightness)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(a.contrast - 1)).toBeLessThanOrEqual(0.2);
      const c = a.crop!;
      expect((c.w * c.h) / (32 * 48)).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(c.x0).toBeGreaterThanOrEqual(0);
      expect(c.x0 + c.w).toBeLessThanOrEqual(48 + 1e-9);
      expect(c.h / c.w).toBeCloseTo(32 / 48, 9);
    }
  });

  it('the normal stream has mean 0 and std 1', () => {
    const next = normalStream(createRng(1));
    const v = Array.from({ length: 20000 }, next);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeCloseTo(1, 1);
  });
});

describe('augment kernel', () => {
  it('with every transform off, copies equal the input', async () => {
    const input = set(random(2 * 6 * 5), [2, 6, 5, 1]);
    const { out, data } = await run(input, params({ copies: 2 }));
    const src = input.images.dataSync();
    expect(Array.from(data.subarray(0, 30))).toEqual(Array.from(src.subarray(0, 30)));
    expect(Array.from(data.subarray(30, 60))).toEqual(Array.from(src.subarray(0, 30)));
    disposeOutputs(out);
    free(input);
  });

  it('Gaussian noise: std 0 is the identity, std s measures ≈ s', async () => {
    const input = set(new Float32Array(2 * 48 * 48).fill(0.5), [2, 48, 48, 1]);
    const s = 0.05;
    const { out, data } = await run(input, params({ noiseStd: s }));
    const mean = data.reduce((a, b) => a + b, 0) / data.length;
    const sd = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(Math.abs(sd - s) / s).toBeLessThan(0.05);
    disposeOutputs(out);
    free(input);
  });

  it('brightness shifts every pixel by one amount within ±brightness; contrast is linear about the mean', async () => {
    const base = random(4 * 5 * 5).map((v) => 0.3 + 0.4 * v);
    const input = set(base, [4, 5, 5, 1]);
    const bright = await run(input, params({ brightness: 0.1 }));
    for (let i = 0; i < 4; i++) {
      const shifts = Array.from({ length: 25 }, (_, p) => bright.data[i * 25 + p]! - base[i * 25 + p]!);
      expect(Math.max(...shifts) - Math.min(...shifts)).toBeLessThan(1e-6);
      expect(Math.abs(shifts[0]!)).toBeLessThanOrEqual(0.1 + 1e-6);
    }
    disposeOutputs(bright.out);
    const contrast = await run(input, params({ contrast: 0.3 }));
    for (let i = 0; i < 4; i++) {
      const x = base.subarray(i * 25, (i + 1) * 25);
      const y = contrast.data.subarray(i * 25, (i + 1) * 25);
      const mx = x.reduce((a, b) => a + b, 0) / 25;
      const my = y.reduce((a, b) => a + b, 0) / 25;
      // The mean is kept, and y − m = f·(x − m) with one f in 1 ± 0.3.
      expect(my).toBeCloseTo(mx, 5);
      const f = (y[0]! - my) / (x[0]! - mx);
      expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.3 + 1e-6);
      for (let p = 0; p < 25; p++) expect(y[p]! - my).toBeCloseTo(f * (x[p]! - mx), 5);
    }
    disposeOutputs(contrast.out);
    free(input);
  });

  it('a mask with one set pixel follows a flip and a 180° rotation exactly', async () => {
    const h = 5;
    const w = 7;
    const mask = new Float32Array(h * w);
    mask[1 * w + 2] = 1;
    const input = set(new Float32Array(h * w).fill(0.5), [1, h, w, 1], mask);
    const { out } = await run(input, params({ flipHorizontal: 1 }));
    const m = out.images.masks!.dataSync();
    expect(Array.from(m).reduce((a, b) => a + b, 0)).toBe(1);
    expect(m[1 * w + (w - 1 - 2)]).toBe(1);
    disposeOutputs(out);
    free(input);

    const rotated = new Float32Array(h * w);
    warp(mask, 0, h, w, 1, { flip: false, angle: Math.PI, crop: null }, 'zero', rotated, 0);
    binarise(rotated, 0, h * w);
    expect(Array.from(rotated).reduce((a, b) => a + b, 0)).toBe(1);
    expect(rotated[(h - 1 - 1) * w + (w - 1 - 2)]).toBe(1);
  });

  it('masks get the same random geometry as the images (image = mask ⇒ mask = image ≥ ½)', async () => {
    const h = 16;
    const w = 16;
    const mask = new Float32Array(3 * h * w);
    for (let i = 0; i < 3; i++) for (let y = 3 + i; y < 9 + i; y++) for (let x = 4; x < 12 - i; x++) mask[i * h * w + y * w + x] = 1;
    const input = set(mask, [3, h, w, 1], mask);
    const { out, data } = await run(input, params({ copies: 3, flipHorizontal: 0.5, rotationDegrees: 40, cropScale: 0.5, fill: 'zero' }));
    const m = out.images.masks!.dataSync();
    expect(m.length).toBe(data.length);
    for (let p = 0; p < m.length; p++) expect(m[p]).toBe(data[p]! >= 0.5 ? 1 : 0);
    expect(Array.from(m).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    disposeOutputs(out);
    free(input);
  });

  it('is deterministic for a seed, differs across seeds, and stays in [0, 1]', async () => {
    const input = set(random(3 * 12 * 12 * 3), [3, 12, 12, 3]);
    const strong = { copies: 2, flipHorizontal: 0.5, rotationDegrees: 30, cropScale: 0.6, brightness: 0.5, contrast: 0.8, noiseStd: 0.3 };
    const a = await run(input, params({ ...strong, seed: 5 }));
    const b = await run(input, params({ ...strong, seed: 5 }));
    const c = await run(input, params({ ...strong, seed: 6 }));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(maxAbsDiff(a.data, c.data)).toBeGreaterThan(0.1);
    expect(Math.min(...a.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.data)).toBeLessThanOrEqual(1);
    [a, b, c].forEach((r) => disposeOutputs(r.out));
    free(input);
  });

  it('keeps labels and names, grouped per input image, and scales the class counts', async () => {
    const input = set(random(2 * 4 * 4), [2, 4, 4, 1]);
    const kept = await run(input, params({ copies: 2, keepOriginals: true }));
    const v = kept.out.images;
    expect(v.images.shape).toEqual([6, 4, 4, 1]);
    expect(v.names).toEqual(['img0', 'img0#aug1', 'img0#aug2', 'img1', 'img1#aug1', 'img1#aug2']);
    expect(Array.from(v.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(v.summary.perClass).toEqual({ normal: 3, anomalous: 3 });
    expect(v.masks).toBeNull();
    disposeOutputs(kept.out);
    const only = await run(input, params({ copies: 1 }));
    expect(only.out.images.names).toEqual(['img0#aug1', 'img1#aug1']);
    disposeOutputs(only.out);
    free(input);
  });

  it('frees everything it made: numTensors is back to baseline after disposeOutputs (preview included)', async () => {
    const mask = new Float32Array(2 * 8 * 8);
    mask[10] = 1;
    const input = set(random(2 * 8 * 8), [2, 8, 8, 1], mask);
    const before = tf.memory().numTensors;
    const p = params({ copies: 2, keepOriginals: true, flipHorizontal: 0.5, rotationDegrees: 10 });
    const out = await augmentKernel.run({ images: input }, p, testContext().ctx);
    expect(tf.memory().numTensors).toBe(before + 2);
    const preview = await augmentKernel.preview!(out, p);
    const images = preview.find((q) => q.kind === 'images');
    // Before/after pairs: original, then its first copy.
    expect(images?.kind === 'images' && images.images.map((i) => i.caption === 'original')).toEqual([true, false, true, false]);
    expect(tf.memory().numTensors).toBe(before + 2);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    free(input);
  });

  it('rejects masks that do not match the images', async () => {
    const input = set(random(16), [1, 4, 4, 1]);
    const bad = { ...input, masks: tf.zeros([1, 3, 4, 1]) as tf.Tensor4D };
    await expect(augmentKernel.run({ images: bad }, params(), testContext().ctx)).rejects.toSatisfy(
      (e) => e instanceof KizukiError && e.info.code === 'SHAPE_MISMATCH',
    );
    free(bad);
  });

  it('has documented defaults and rejects out-of-range params, naming node and field', () => {
    expect(augmentNode.params.parse({})).toEqual({
      copies: 1,
      keepOriginals: true,
      flipHorizontal: 0.5,
      rotationDegrees: 10,
      fill: 'edge',
      cropScale: 1,
      brightness: 0.05,
      contrast: 0.1,
      noiseStd: 0.01,
      seed: 0,
    });
    for (const bad of [{ flipHorizontal: 1.5 }, { copies: 0 }, { rotationDegrees: 270 }, { cropScale: 0 }, { noiseStd: -1 }, { fill: 'wrap' }]) {
      expect(augmentNode.params.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    const doc = {
      format: 'kizuki.pipeline',
      schemaVersion: 1,
      name: 'bad augment',
      nodes: [
        { id: 'data', type: 'image-set', typeVersion: 1, params: {}, position: { x: 0, y: 0 } },
        { id: 'aug', type: 'augment', typeVersion: 1, params: { copies: 99 }, position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'e', source: 'data', sourcePort: 'images', target: 'aug', targetPort: 'images' }],
    };
    const plan = planPipeline(doc);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.issues).toContainEqual(expect.objectContaining({ code: 'INVALID_PARAM', nodeId: 'aug', field: 'copies' }));
  });
});
