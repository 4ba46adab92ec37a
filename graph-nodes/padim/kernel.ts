/**
 * PaDiM (Defard et al., "PaDiM: a Patch Distribution Modeling Framework for Anomaly Detection and
 * Localization", ICPR 2021). Feature maps of every tap → nearest-upsampled to the first tap's grid h×w →
 * d random channels (seeded) → embeddings [N, P=h·w, d]. Fit: streaming per-patch Gaussian (gaussian.ts).
 * Score: Mahalanobis distance per patch [N,h,w,1] → bilinear to the image size [N,H,W,1] → Gaussian blur σ →
 * heatmaps; image score = max of its heatmap. Train/test images [N,H,W,C] in 0..1.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { fitToInput } from '../core/image-fit';
import { defineKernel, throwIfAborted, type FeatureExtractorValue, type HeatmapsValue, type KernelContext } from '../core/kernel-types';
import type { PreviewImage } from '../core/preview';
import { createRng, shuffledIndices } from '../core/random';
import { scoreHistogram } from '../core/score-stats';
import { mixedIndices, overlayThumbnails } from '../core/tensor-preview';
import { gaussianBlur } from '../residual-max/kernel';
import { padimNode } from './definition';
import { emptyFit, invertPatches, mahalanobis, PatchGaussianAccumulator } from './gaussian';

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Bytes of the per-patch statistics above which we refuse (the browser tab would run out of memory). */
const MAX_STATS_BYTES = 1.5e9;

type Embedder = {
  /** Grid of patches (the first tap's h×w). */
  grid: [number, number];
  /** Channels available after stacking all taps, before the random selection. */
  totalChannels: number;
  d: number;
  /** Embeddings [b, h, w, d] of a batch (caller disposes). */
  embed(batch: tf.Tensor4D): tf.Tensor4D;
};

/** Tap shapes [1,h,w,c] for one image [1,H,W,C]; throws SHAPE_MISMATCH when the extractor cannot take it. */
function probeTaps(extractor: FeatureExtractorValue, one: tf.Tensor4D, what: string, ctx: KernelContext): number[][] {
  try {
    return tf.tidy(() => extractor.extract(prepareFor(extractor, one)).map((t) => t.shape));
  } catch (err) {
    throw new KizukiError('SHAPE_MISMATCH', {
      nodeId: ctx.nodeId,
      what: `the feature extractor "${extractor.name}" (input ${extractor.inputShape.join('×')}) cannot take the ${what} (${one.shape.slice(1).join('×')}): ${(err as Error).message}`,
    });
  }
}

const firstOf = (set: tf.Tensor4D) => tf.slice(set, [0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;

/** Images as the extractor takes them: unchanged when the shape fits, else resized / channel-mapped. */
function prepareFor(extractor: FeatureExtractorValue, x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const [ih, iw, ic] = extractor.inputShape;
  return h === ih && w === iw && c === ic ? x : fitToInput(x, extractor.inputShape);
}

/** Set up the seeded channel selection for the extractor's taps (shapes from `probeTaps`). */
function makeEmbedder(extractor: FeatureExtractorValue, shapes: number[][], d: number, seed: number, ctx: KernelContext): Embedder {
  const bad = shapes.find((s) => s.length !== 4);
  if (shapes.length === 0 || bad) {
    throw new KizukiError('KERNEL_FAILED', { nodeId: ctx.nodeId, reason: `the feature extractor "${extractor.name}" gives no feature maps [N,h,w,c]` });
  }
  const grid: [number, number] = [shapes[0]![1]!, shapes[0]![2]!];
  const channels = shapes.map((s) => s[3]!);
  const total = channels.reduce((a, b) => a + b, 0);
  const dUsed = Math.min(d, total);
  // Random channel subset (PaDiM's "random dimensionality reduction"), sorted so taps are gathered in order.
  const chosen = shuffledIndices(total, createRng(seed)).slice(0, dUsed).sort((a, b) => a - b);
  const perTap: number[][] = channels.map(() => []);
  let start = 0;
  channels.forEach((c, t) => {
    for (const k of chosen) if (k >= start && k < start + c) perTap[t]!.push(k - start);
    start += c;
  });
  return {
    grid,
    totalChannels: total,
    d: dUsed,
    embed: (batch) =>
      tf.tidy(() => {
        const maps = extractor.extract(prepareFor(extractor, batch));
        const parts: tf.Tensor4D[] = [];
        maps.forEach((m, t) => {
          const idx = perTap[t]!;
          if (idx.length === 0) return;
          let g = idx.length === m.shape[3] ? m : (tf.gather(m, idx, 3) as tf.Tensor4D);
          // Nearest: each coarse feature is copied to the fine patches it covers (PaDiM's embedding_concat).
          if (g.shape[1] !== grid[0] || g.shape[2] !== grid[1]) g = tf.image.resizeNearestNeighbor(g, grid);
          parts.push(g);
        });
        return parts.length === 1 ? parts[0]! : (tf.concat(parts, 3) as tf.Tensor4D);
      }),
  };
}

/** Overlay thumbnails made while the images are at hand; `preview` only receives the outputs. */
const overlays = new WeakMap<HeatmapsValue, PreviewImage[]>();

export const padimKernel = defineKernel(padimNode, {
  async run({ extractor, train, images }, params, ctx) {
    const nTrain = train.count;
    const nTest = images.images.shape[0];
    if (nTrain === 0 || nTest === 0) {
      throw new KizukiError('NO_IMAGES', { nodeId: ctx.nodeId, source: nTrain === 0 ? 'the training input' : 'the images to score', skipped: 0 });
    }
    const firstTrain = await train.read(0, 1, ctx.signal);
    const firstTest = firstOf(images.images);
    let shapes: number[][];
    let testShapes: number[][];
    try {
      shapes = probeTaps(extractor, firstTrain, 'training images', ctx);
      testShapes = probeTaps(extractor, firstTest, 'images to score', ctx);
    } finally {
      tf.dispose([firstTrain, firstTest]);
    }
    if (testShapes.map((s) => s.slice(1).join('×')).join() !== shapes.map((s) => s.slice(1).join('×')).join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `the feature maps of the training images (${shapes.map((s) => s.slice(1).join('×')).join(', ')}) and of the images to score (${testShapes.map((s) => s.slice(1).join('×')).join(', ')}) differ`,
      });
    }
    const embedder = makeEmbedder(extractor, shapes, params.d, params.seed, ctx);
    const [gh, gw] = embedder.grid;
    const P = gh * gw;
    const d = embedder.d;
    const statsBytes = P * d * (d + 1) * 4 * 1.5;
    if (statsBytes > MAX_STATS_BYTES) {
      throw new KizukiError('INVALID_PARAM', {
        nodeId: ctx.nodeId,
        field: 'd',
        reason: `needs about ${(statsBytes / 1e9).toFixed(1)} GB for ${P} patches (${gh}×${gw}) × d = ${d}; lower d, or tap a coarser layer first`,
      });
    }
    if (params.d > embedder.totalChannels) ctx.warn(`d = ${params.d} but the extractor gives only ${embedder.totalChannels} channels: using all ${d}`);
    if (nTrain <= d) ctx.warn(`only ${nTrain} training images for d = ${d} channels: the covariances are singular and rest on ε = ${params.epsilon}; use more images or a smaller d`);

    // [1] Fit: stream the training images through the extractor, batch by batch (read from their source when the
    // set is lazy, so only one batch of images is ever in memory).
    const bs = Math.min(params.batchSize, nTrain);
    const acc = new PatchGaussianAccumulator(P, d, bs);
    const batches = Math.ceil(nTrain / bs);
    for (let k = 0; k < batches; k++) {
      throwIfAborted(ctx.signal);
      const size = Math.min(bs, nTrain - k * bs);
      const batch = await train.read(k * bs, size, ctx.signal);
      const emb = tf.tidy(() => embedder.embed(batch));
      batch.dispose();
      const data = await emb.data();
      emb.dispose();
      acc.add(data, size);
      ctx.progress({ fraction: (0.55 * (k + 1)) / batches, message: `fitting: ${Math.min(nTrain, (k + 1) * bs)}/${nTrain} normal images` });
      await yieldToEventLoop();
    }

    // [2] Invert every Σ_p + εI, a chunk of patches at a time (abortable).
    const fit = emptyFit(P, d, params.epsilon);
    const chunk = Math.max(1, Math.floor(200_000 / (d * d)));
    for (let p = 0; p < P; p += chunk) {
      throwIfAborted(ctx.signal);
      try {
        invertPatches(acc, params.epsilon, fit, p, Math.min(P, p + chunk));
      } catch (err) {
        throw new KizukiError('KERNEL_FAILED', {
          nodeId: ctx.nodeId,
          reason: `the training features are not usable: ${(err as Error).message}`,
          hint: 'Check the feature extractor (a diverged AutoEncoder gives NaN features) and the training images.',
        });
      }
      ctx.progress({ fraction: 0.55 + (0.1 * Math.min(P, p + chunk)) / P, message: 'inverting covariances' });
      await yieldToEventLoop();
    }
    if (fit.raised > 0) {
      ctx.warn(`${fit.raised} of ${P} patch covariances were singular with ε = ${params.epsilon}; ε was raised up to ${fit.maxEpsilon.toPrecision(2)} there`);
    }

    // [3] Score: Mahalanobis distance per patch → image-size heatmap → blur → max.
    const [, H, W] = images.images.shape;
    const parts: tf.Tensor4D[] = [];
    const scores = new Float32Array(nTest);
    const bsTest = Math.min(params.batchSize, nTest);
    try {
      for (let start = 0; start < nTest; start += bsTest) {
        throwIfAborted(ctx.signal);
        const size = Math.min(bsTest, nTest - start);
        const emb = tf.tidy(() => embedder.embed(tf.slice(images.images, [start, 0, 0, 0], [size, -1, -1, -1]) as tf.Tensor4D));
        const data = await emb.data();
        emb.dispose();
        const dist = mahalanobis(fit, data, size);
        const maps = tf.tidy(() => {
          const coarse = tf.tensor4d(dist, [size, gh, gw, 1]);
          const fine = gh === H && gw === W ? coarse : tf.image.resizeBilinear(coarse, [H, W]);
          return gaussianBlur(fine, params.sigma);
        });
        parts.push(maps);
        const maxT = tf.tidy(() => tf.max(tf.reshape(maps, [size, -1]), 1));
        scores.set(await maxT.data(), start);
        maxT.dispose();
        ctx.progress({ fraction: 0.65 + (0.35 * (start + size)) / nTest, message: `scoring: ${start + size}/${nTest} images` });
        await yieldToEventLoop();
      }
    } catch (err) {
      tf.dispose(parts);
      throw err;
    }
    const maps = parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor4D);
    if (parts.length > 1) tf.dispose(parts);
    const bad = scores.filter((s) => !Number.isFinite(s)).length;
    if (bad > 0) {
      maps.dispose();
      throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: bad });
    }

    const heatmaps: HeatmapsValue = {
      kind: 'Heatmaps',
      maps,
      labels: images.labels,
      names: images.names,
      masks: images.masks ? images.masks.clone() : null,
      scorer: 'padim',
    };
    const indices = mixedIndices(images.labels, 6);
    overlays.set(
      heatmaps,
      await overlayThumbnails(images.images, maps, images.labels, images.names, { indices, captions: indices.map((i) => scores[i]!.toFixed(2)) }),
    );
    return { scores: { kind: 'Scores', scorer: 'padim', scores, labels: images.labels, names: images.names }, heatmaps };
  },
  preview({ scores, heatmaps }) {
    return [
      scoreHistogram(scores.scores, scores.labels, 'PaDiM score (max Mahalanobis distance)'),
      { kind: 'images', title: 'Heatmaps over the images', total: heatmaps.labels.length, images: overlays.get(heatmaps) ?? [] },
    ];
  },
});
