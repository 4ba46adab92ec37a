/**
 * Augment: images [N,H,W,C] in 0..1 → [N·(copies + keepOriginals),H,W,C], grouped per input image (original,
 * name#aug1, name#aug2, …). Each copy: flip → rotation → crop composed into one bilinear warp, then contrast
 * around the mean, brightness, Gaussian noise, clip to 0..1 (classic augmentations, see Shorten & Khoshgoftaar,
 * "A survey on Image Data Augmentation for Deep Learning", J. Big Data 2019). Masks [N,H,W,1] get the same warp
 * and are thresholded at 0.5. Plain JS on Float32Arrays with core/random.ts: identical on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted, type ImageSetValue } from '../core/kernel-types';
import type { PreviewImage } from '../core/preview';
import { createRng } from '../core/random';
import { outlineMasks, thumbnails } from '../core/tensor-preview';
import { augmentNode } from './definition';
import { binarise, describeAugmentation, drawAugmentation, normalStream, photometric, warp } from './transforms';

/** Largest output the node builds (float32 values), about 1.6 GB. */
const MAX_VALUES = 400_000_000;
const PAIRS = 4;

/**
 * "Before" thumbnails of the preview pairs, made in run() from the input (the output may not hold the originals),
 * keyed by the output value so preview() can find them. Small plain data, released with the output.
 */
const previewPairs = new WeakMap<ImageSetValue, { before: PreviewImage[]; after: number[]; captions: string[] }>();

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Up to `count` indices spread evenly over 0..n-1. */
function spread(n: number, count: number): number[] {
  return [...new Set(Array.from({ length: Math.min(n, count) }, (_, k) => Math.floor((k * n) / Math.min(n, count))))];
}

export const augmentKernel = defineKernel(augmentNode, {
  async run({ images }, params, ctx) {
    const [n, h, w, c] = images.images.shape;
    if (images.masks && images.masks.shape.slice(0, 3).join() !== [n, h, w].join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `masks ${images.masks.shape.join('×')} do not match images ${images.images.shape.join('×')}`,
      });
    }
    const per = params.copies + (params.keepOriginals ? 1 : 0);
    const nOut = n * per;
    const size = h * w * c;
    if (nOut * size > MAX_VALUES) {
      throw new KizukiError('INVALID_PARAM', {
        nodeId: ctx.nodeId,
        field: 'copies',
        reason: `would make ${nOut} images of ${h}×${w}×${c} (${((nOut * size * 4) / 1e9).toFixed(1)} GB), more than fits in memory`,
        hint: 'Lower copies, or use fewer or smaller images (image set: limit, size).',
      });
    }
    const src = (await images.images.data()) as Float32Array;
    const msrc = images.masks ? ((await images.masks.data()) as Float32Array) : null;
    const out = new Float32Array(nOut * size);
    const mout = msrc ? new Float32Array(nOut * h * w) : null;
    const labels = new Int8Array(nOut);
    const names: string[] = [];
    const rng = createRng(params.seed);
    // A separate stream for the noise, so toggling noise leaves every other draw unchanged.
    const noise = normalStream(createRng((params.seed ^ 0x5bd1e995) >>> 0));
    const pairIdx = spread(n, PAIRS);
    const after: number[] = [];
    const captions: string[] = [];
    let lastYield = Date.now();

    for (let i = 0; i < n; i++) {
      const name = images.names[i] ?? `#${i}`;
      const label = images.labels[i] ?? -1;
      let o = i * per;
      if (params.keepOriginals) {
        out.set(src.subarray(i * size, (i + 1) * size), o * size);
        if (msrc && mout) mout.set(msrc.subarray(i * h * w, (i + 1) * h * w), o * h * w);
        labels[o] = label;
        names.push(name);
        o++;
      }
      for (let k = 1; k <= params.copies; k++, o++) {
        const a = drawAugmentation(rng, params, h, w);
        warp(src, i * size, h, w, c, a, params.fill, out, o * size);
        photometric(out, o * size, h * w, c, a.contrast, a.brightness, params.noiseStd, noise);
        if (msrc && mout) {
          warp(msrc, i * h * w, h, w, 1, a, params.fill, mout, o * h * w);
          binarise(mout, o * h * w, h * w);
        }
        labels[o] = label;
        names.push(`${name}#aug${k}`);
        if (k === 1 && pairIdx.includes(i)) {
          after.push(o);
          captions.push(describeAugmentation(a, params.noiseStd, h, w));
        }
      }
      if (Date.now() - lastYield > 50) {
        ctx.progress({ fraction: (i + 1) / n, message: `${i + 1} / ${n} images` });
        await yieldToEventLoop();
        throwIfAborted(ctx.signal);
        lastYield = Date.now();
      }
    }
    throwIfAborted(ctx.signal);
    ctx.progress({ fraction: 1 });

    const perClass: Record<string, number> = {};
    for (const [cls, count] of Object.entries(images.summary.perClass)) perClass[cls] = count * per;
    const value: ImageSetValue = {
      kind: 'ImageSet',
      images: tf.tensor4d(out, [nOut, h, w, c], 'float32'),
      masks: mout ? tf.tensor4d(mout, [nOut, h, w, 1], 'float32') : null,
      labels,
      names,
      summary: { source: `${images.summary.source} (augmented)`, loaded: nOut, skipped: [], perClass },
    };
    const before = await thumbnails(images.images, images.labels, images.names, {
      indices: pairIdx,
      captions: pairIdx.map(() => 'original'),
    });
    if (images.masks) await outlineMasks(before, images.masks, pairIdx);
    previewPairs.set(value, { before, after, captions });
    return { images: value };
  },

  async preview({ images }, params) {
    const n = images.labels.length;
    const pairs = previewPairs.get(images);
    const indices = pairs?.after ?? spread(n, PAIRS);
    const afterThumbs = await thumbnails(images.images, images.labels, images.names, {
      indices,
      ...(pairs ? { captions: pairs.captions } : {}),
    });
    if (images.masks) await outlineMasks(afterThumbs, images.masks, indices);
    const shown = pairs ? pairs.before.flatMap((b, k) => (afterThumbs[k] ? [b, afterThumbs[k]] : [b])) : afterThumbs;
    const per = params.copies + (params.keepOriginals ? 1 : 0);
    return [
      { kind: 'images', title: pairs ? 'Before → after' : 'Augmented', total: n, images: shown },
      {
        kind: 'text',
        lines: [
          `${n / per} images → ${n} (${params.copies} cop${params.copies === 1 ? 'y' : 'ies'} each${params.keepOriginals ? ' + the original' : ''})`,
          images.masks ? 'pixel masks follow the flip, rotation and crop' : 'no pixel masks',
        ],
      },
    ];
  },
});
