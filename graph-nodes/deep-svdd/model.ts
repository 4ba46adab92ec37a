/**
 * Shared by Deep SVDD and Deep SAD (Ruff et al., ICML 2018; ICLR 2020): the bias-free conv network φ, the centre c
 * (mean of the initial outputs, |c_j| < ε pushed to ±ε), squared distances ||φ(x) − c||², the three objectives, the
 * soft-boundary radius (the (1−ν)-quantile of distances), collapse detection, a seeded Adam training loop and a
 * 2-D PCA view of embeddings around c. Shapes: images [N,H,W,C] → φ [N,repDim] → d² [N].
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import {
  type EmbeddingsValue,
  type FeatureExtractorValue,
  type ImageSetValue,
  type KernelContext,
  type ScoresValue,
  throwIfAborted,
} from '../core/kernel-types';
import type { NodePreview, Preview } from '../core/preview';
import { createRng } from '../core/random';
import { scoreHistogram } from '../core/score-stats';

/** ε of the centre fix (the papers' value): coordinates of c closer than ε to 0 are moved to ±ε. */
export const CENTRE_EPS = 0.1;
/** ε that keeps the Deep SAD inverse distance 1/(d² + ε) finite (the paper's value). */
export const SAD_EPS = 1e-6;
/** Relative size below which a spread or radius counts as collapsed. */
export const COLLAPSE_TOLERANCE = 1e-6;

export type NetworkSpec = {
  inputShape: [number, number, number];
  channels: number[];
  kernelSize: number;
  repDim: number;
  seed: number;
};

/**
 * φ: per entry of `channels` a k×k stride-2 'same' conv without bias + leaky ReLU (slope 0.01), then a linear dense
 * layer without bias to `repDim`. No bias anywhere and no bounded output activation: with a bias (or a
 * saturating unit) the network could map every image to c and reach zero loss (hypersphere collapse, Ruff 2018 §3.3).
 */
export function buildNetwork(spec: NetworkSpec): tf.Sequential {
  const [h, w] = spec.inputShape;
  const factor = 2 ** spec.channels.length;
  if (h % factor !== 0 || w % factor !== 0) {
    throw new Error(`image size ${h}×${w} must be divisible by 2^${spec.channels.length} = ${factor} (one halving per conv layer)`);
  }
  let seed = spec.seed * 7919 + 17;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const net = tf.sequential({ name: 'deep_svdd_net' });
  spec.channels.forEach((ch, i) => {
    net.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: spec.inputShape } : {}),
        filters: ch,
        kernelSize: spec.kernelSize,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
        name: `svdd_conv${i + 1}`,
      }),
    );
    net.add(tf.layers.leakyReLU({ alpha: 0.01, name: `svdd_lrelu${i + 1}` }));
  });
  net.add(tf.layers.flatten({ name: 'svdd_flatten' }));
  net.add(tf.layers.dense({ units: spec.repDim, useBias: false, kernelInitializer: init(), name: 'svdd_rep' }));
  return net;
}

/** Names of weights that are biases (must be empty for φ). */
export function biasWeights(model: tf.LayersModel): string[] {
  return model.weights.filter((w) => /bias/i.test(w.name)).map((w) => w.name);
}

/**
 * Copy conv kernels (not biases) from a pretrained network, in order, while the kernel shapes agree
 * (e.g. the AutoEncoder encoder with the same channels and kernel size). Returns how many were copied.
 */
export function copyPretrainedKernels(net: tf.LayersModel, pretrained: tf.LayersModel): number {
  const mine = net.layers.filter((l) => l.getClassName() === 'Conv2D');
  const theirs = pretrained.layers.filter((l) => l.getClassName() === 'Conv2D');
  let copied = 0;
  for (let i = 0; i < mine.length; i++) {
    const src = theirs[i]?.getWeights()[0];
    const dst = mine[i]!.getWeights()[0];
    if (!src || !dst || src.shape.join() !== dst.shape.join()) break;
    mine[i]!.setWeights([src]);
    copied++;
  }
  return copied;
}

/** φ of a set of images, in batches (inference mode). */
export function embed(net: tf.LayersModel, images: tf.Tensor4D, batchSize = 64): tf.Tensor2D {
  return tf.tidy(() => {
    const n = images.shape[0];
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(net.predict(tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1])) as tf.Tensor2D);
    }
    return parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor2D);
  });
}

/** c = mean of the embeddings; coordinates with |c_j| < eps become +eps (c_j ≥ 0) or −eps (c_j < 0). */
export function computeCentre(embeddings: tf.Tensor2D, eps = CENTRE_EPS): tf.Tensor1D {
  return tf.tidy(() => {
    const c = tf.mean(embeddings, 0) as tf.Tensor1D;
    const small = tf.less(tf.abs(c), eps);
    const signed = tf.where(tf.less(c, 0), tf.fill(c.shape, -eps), tf.fill(c.shape, eps));
    return tf.where(small, signed, c) as tf.Tensor1D;
  });
}

/** ||φ(x) − c||² per row: [N,D], [D] → [N]. */
export function squaredDistances(embeddings: tf.Tensor2D, c: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(embeddings, c)), 1) as tf.Tensor1D);
}

/** Deep SVDD one-class objective: mean ||φ(x) − c||². */
export function oneClassLoss(dist2: tf.Tensor1D): tf.Scalar {
  return tf.mean(dist2) as tf.Scalar;
}

/** Deep SVDD soft-boundary objective: R² + (1/ν) · mean(max(0, ||φ(x) − c||² − R²)). */
export function softBoundaryLoss(dist2: tf.Tensor1D, radius: number, nu: number): tf.Scalar {
  return tf.tidy(() => {
    const r2 = radius * radius;
    return tf.add(r2, tf.mul(1 / nu, tf.mean(tf.relu(tf.sub(dist2, r2))))) as tf.Scalar;
  });
}

/**
 * Deep SAD objective on a batch: mean over the batch of d² (ỹ = 0, unlabelled), η·(d² + ε) (ỹ = +1, labelled
 * normal) or η/(d² + ε) (ỹ = −1, labelled anomaly) — i.e. (1/(n+m)) [Σ_unl d² + η Σ_lab (d² + ε)^ỹ].
 */
export function deepSadLoss(dist2: tf.Tensor1D, semiTargets: ArrayLike<number>, eta: number, eps = SAD_EPS): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.tensor1d(Array.from(semiTargets), 'float32');
    const shifted = tf.add(dist2, eps);
    const labelled = tf.mul(eta, tf.where(tf.greater(y, 0), shifted, tf.div(1, shifted)));
    return tf.mean(tf.where(tf.equal(y, 0), dist2, labelled)) as tf.Scalar;
  });
}

/** q-quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Soft-boundary radius update: R = (1−ν)-quantile of the distances ||φ(x) − c|| (from squared distances). */
export function radiusFromDistances(dist2: ArrayLike<number>, nu: number): number {
  return quantile(Array.from(dist2, (d) => Math.sqrt(Math.max(0, d))), 1 - nu);
}

export type SpreadStats = { meanDist2: number; spread: number };

/** Mean d² to c and mean squared distance to the embeddings' own mean (how far apart the points are). */
export function spreadStats(embeddings: tf.Tensor2D, c: tf.Tensor1D): SpreadStats {
  const [m, s] = tf.tidy(() => {
    const centred = tf.sub(embeddings, tf.mean(embeddings, 0));
    return [tf.mean(squaredDistances(embeddings, c)), tf.mean(tf.sum(tf.square(centred), 1))];
  });
  const out = { meanDist2: m!.dataSync()[0]!, spread: s!.dataSync()[0]! };
  tf.dispose([m!, s!]);
  return out;
}

/**
 * Why the hypersphere collapsed, or null. `initial` is measured on the training images before training,
 * `final` after; `radius` is the soft-boundary R (omit for one-class / Deep SAD).
 */
export function collapseReason(initial: SpreadStats, final: SpreadStats, radius?: number): string | null {
  const tol = COLLAPSE_TOLERANCE;
  if (!(final.spread > tol * initial.spread) || final.spread === 0) {
    return 'the network maps every training image to the same point';
  }
  if (!(final.meanDist2 > tol * initial.meanDist2)) return 'all training embeddings lie at the centre c';
  if (radius !== undefined && !(radius * radius > tol * initial.meanDist2)) return 'the radius R shrank to 0';
  return null;
}

export type Batch = {
  indices: number[];
  x: () => tf.Tensor4D;
  /** Deep SAD ỹ per row of x: 0 unlabelled, +1 labelled normal, −1 labelled anomaly. */
  targets?: number[];
};

export type TrainOptions = {
  net: tf.LayersModel;
  c: tf.Tensor1D;
  epochs: number;
  learningRate: number;
  weightDecay: number;
  ctx: KernelContext;
  /** The batches of one epoch (1-based). */
  epochBatches(epoch: number): Batch[];
  /** The objective of a batch from its squared distances. */
  loss(dist2: tf.Tensor1D, batch: Batch, epoch: number): tf.Scalar;
  /** Called with each batch's squared distances (e.g. for the soft-boundary radius update). */
  afterBatch?(dist2: Float32Array, epoch: number): void;
};

/**
 * Adam on objective + (λ/2)·Σ||W||² (λ = weightDecay), yielding between batches; returns the mean loss per epoch
 * (objective + decay). Throws NAN_LOSS on a non-finite loss. Keeps no tensors but the network's weights.
 */
export async function trainHypersphere(opts: TrainOptions): Promise<number[]> {
  const { net, c, ctx, epochs } = opts;
  const optimizer = tf.train.adam(opts.learningRate);
  const weights = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  let lastFinite = NaN;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const batches = opts.epochBatches(epoch);
      let sum = 0;
      let count = 0;
      for (let b = 0; b < batches.length; b++) {
        throwIfAborted(ctx.signal);
        const batch = batches[b]!;
        let kept: tf.Tensor1D | null = null;
        const lossT = tf.tidy(() => {
          const x = batch.x();
          return optimizer.minimize(() => {
            const dist2 = squaredDistances(net.apply(x, { training: true }) as tf.Tensor2D, c);
            if (opts.afterBatch) kept = tf.keep(dist2.clone());
            let total = opts.loss(dist2, batch, epoch);
            if (opts.weightDecay > 0) {
              const decay = tf.addN(weights.map((w) => tf.sum(tf.square(w))));
              total = tf.add(total, tf.mul(opts.weightDecay / 2, decay));
            }
            return total;
          }, true, weights) as tf.Scalar;
        });
        const loss = (await lossT.data())[0]!;
        lossT.dispose();
        const keptT = kept as tf.Tensor1D | null;
        const d2 = keptT ? ((await keptT.data()) as Float32Array) : null;
        keptT?.dispose();
        if (!Number.isFinite(loss)) {
          throw new KizukiError('NAN_LOSS', {
            nodeId: ctx.nodeId,
            epoch,
            loss: String(loss),
            lastFiniteLoss: Number.isFinite(lastFinite) ? lastFinite.toPrecision(4) : 'none',
          });
        }
        lastFinite = loss;
        if (d2) opts.afterBatch!(d2, epoch);
        sum += loss * batch.indices.length;
        count += batch.indices.length;
        ctx.progress({ fraction: (epoch - 1 + (b + 1) / batches.length) / epochs, epoch, epochs, loss });
        // Yield so a Stop message (and UI events) can get through between batches.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      losses.push(sum / Math.max(1, count));
      ctx.livePreview([{ kind: 'loss', epochs, values: [...losses] }]);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}

/** Top-k principal directions of the rows of X (already centred), by power iteration with deflation. */
export function principalAxes(x: Float32Array, n: number, d: number, k = 2, iterations = 300, seed = 0): Float64Array[] {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const va = x[row + a]!;
      if (va === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b]! += va * x[row + b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b] = cov[a * d + b]! / Math.max(1, n);
      cov[b * d + a] = cov[a * d + b]!;
    }
  }
  const rng = createRng(seed + 4242);
  const axes: Float64Array[] = [];
  for (let axis = 0; axis < Math.min(k, d); axis++) {
    let v = Float64Array.from({ length: d }, () => rng.normal());
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b]! * v[b]!;
        next[a] = s;
      }
      // Deflate: stay orthogonal to the axes found so far.
      for (const u of axes) {
        const dot = u.reduce((s, ui, j) => s + ui * next[j]!, 0);
        for (let j = 0; j < d; j++) next[j]! -= dot * u[j]!;
      }
      const norm = Math.hypot(...next);
      if (!(norm > 1e-30)) break;
      v = next.map((e) => e / norm);
    }
    // An arbitrary unit vector orthogonal to the others when the data have no variance left.
    for (const u of axes) {
      const dot = u.reduce((s, ui, j) => s + ui * v[j]!, 0);
      for (let j = 0; j < d; j++) v[j]! -= dot * u[j]!;
    }
    const norm = Math.hypot(...v) || 1;
    axes.push(v.map((e) => e / norm));
  }
  return axes;
}

export type SphereSummary = {
  objective: string;
  radius: number;
  radiusMeaning: string;
  /** Mean loss per epoch. */
  losses: number[];
  centreNorm: number;
  pretrainedLayers: number;
  scatter: Extract<Preview, { kind: 'scatter' }>;
};

/**
 * 2-D view: the training embeddings' top-2 principal directions around c; the scored embeddings projected onto
 * them, c at the origin. The ball of radius R around c projects onto exactly the disk of radius R.
 */
export async function sphereScatter(
  trainEmb: tf.Tensor2D,
  scoredEmb: tf.Tensor2D,
  c: tf.Tensor1D,
  labels: ArrayLike<number>,
  radius: number,
  radiusMeaning: string,
  maxPoints = 500,
): Promise<Extract<Preview, { kind: 'scatter' }>> {
  const [n, d] = trainEmb.shape;
  const [centredTrain, centredScored] = tf.tidy(() => [tf.sub(trainEmb, c), tf.sub(scoredEmb, c)]);
  const xt = (await centredTrain!.data()) as Float32Array;
  const xs = (await centredScored!.data()) as Float32Array;
  tf.dispose([centredTrain!, centredScored!]);
  const [u, v] = principalAxes(xt, n, d, 2);
  const m = scoredEmb.shape[0];
  const step = Math.max(1, m / maxPoints);
  const points: { x: number; y: number; label: number }[] = [];
  for (let k = 0; k < Math.min(m, maxPoints); k++) {
    const i = Math.floor(k * step);
    let px = 0;
    let py = 0;
    for (let j = 0; j < d; j++) {
      px += xs[i * d + j]! * (u?.[j] ?? 0);
      py += xs[i * d + j]! * (v?.[j] ?? 0);
    }
    points.push({ x: px, y: py, label: labels[i] ?? -1 });
  }
  return {
    kind: 'scatter',
    title: `Embeddings projected to 2-D (PCA of training embeddings around c); circle = ${radiusMeaning}`,
    points,
    circle: { cx: 0, cy: 0, r: radius },
  };
}

/** The node previews: loss curve, score histogram, 2-D view, and a few numbers. */
export function spherePreview(scores: { scores: Float32Array; labels: Int8Array; scorer: string }, summary: SphereSummary | undefined): NodePreview {
  const previews: NodePreview = [];
  if (summary) previews.push({ kind: 'loss', epochs: summary.losses.length, values: summary.losses });
  previews.push(scoreHistogram(scores.scores, scores.labels, `${scores.scorer}: ||φ(x) − c||²`));
  if (summary) {
    previews.push(summary.scatter);
    previews.push({
      kind: 'text',
      lines: [
        `objective: ${summary.objective}`,
        `${summary.radiusMeaning}: ${summary.radius.toPrecision(4)} (squared ${(summary.radius ** 2).toPrecision(4)})`,
        `||c|| = ${summary.centreNorm.toPrecision(4)}`,
        summary.pretrainedLayers > 0 ? `conv kernels initialised from the pretrained network: ${summary.pretrainedLayers}` : 'random initialisation',
      ],
    });
  }
  return previews;
}

export type SphereParams = {
  channels: number[];
  kernelSize: number;
  repDim: number;
  epochs: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
};

export type FitOptions = {
  ctx: KernelContext;
  params: SphereParams;
  train: ImageSetValue;
  images: ImageSetValue;
  pretrained: FeatureExtractorValue | undefined;
  /** Other image sets that must match the training shape (e.g. labelled anomalies). */
  others?: { what: string; set: ImageSetValue }[];
  objective: string;
  scorer: string;
  epochBatches: TrainOptions['epochBatches'];
  loss: TrainOptions['loss'];
  afterBatch?: TrainOptions['afterBatch'];
  /** After training: the radius for the preview circle (and, when `checked`, for collapse detection). */
  finalRadius(trainDist2: Float32Array): { radius: number; meaning: string; checked: boolean };
};

/** Per scores value: what the preview shows besides the histogram (loss curve, 2-D view). */
export const sphereSummaries = new WeakMap<object, SphereSummary>();

/**
 * The common run of both nodes: check shapes, build φ (optionally from pretrained kernels), fix c on the initial
 * training embeddings, train, detect collapse, and score the images by ||φ(x) − c||².
 */
export async function fitAndScore(o: FitOptions): Promise<{ scores: ScoresValue; embeddings: EmbeddingsValue }> {
  const { ctx, params, train, images } = o;
  const shape = train.images.shape.slice(1) as [number, number, number];
  for (const { what, set } of [{ what: 'images to score', set: images }, ...(o.others ?? [])]) {
    if (set.images.shape.slice(1).join() !== shape.join()) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `training images are ${shape.join('×')} but ${what} are ${set.images.shape.slice(1).join('×')}`,
      });
    }
  }
  let net: tf.Sequential;
  try {
    net = buildNetwork({ inputShape: shape, channels: params.channels, kernelSize: params.kernelSize, repDim: params.repDim, seed: params.seed });
  } catch (err) {
    throw new KizukiError('INVALID_PARAM', { nodeId: ctx.nodeId, field: 'channels', reason: (err as Error).message });
  }
  const held: tf.Tensor[] = [];
  try {
    if (biasWeights(net).length > 0) throw new Error(`φ must be bias-free but has ${biasWeights(net).join(', ')}`);
    let pretrainedLayers = 0;
    if (o.pretrained) {
      if (!o.pretrained.model) {
        ctx.warn(`"${o.pretrained.name}" exposes no trainable network; φ starts from random weights.`);
      } else {
        pretrainedLayers = copyPretrainedKernels(net, o.pretrained.model);
        if (pretrainedLayers === 0) {
          ctx.warn(`The conv kernels of "${o.pretrained.name}" do not match φ (use the same channels and kernel size 3); φ starts from random weights.`);
        }
      }
    }
    const initialEmb = embed(net, train.images);
    const c = computeCentre(initialEmb);
    held.push(c);
    const initial = spreadStats(initialEmb, c);
    initialEmb.dispose();

    const losses = await trainHypersphere({
      net,
      c,
      ctx,
      epochs: params.epochs,
      learningRate: params.learningRate,
      weightDecay: params.weightDecay,
      epochBatches: o.epochBatches,
      loss: o.loss,
      ...(o.afterBatch ? { afterBatch: o.afterBatch } : {}),
    });
    throwIfAborted(ctx.signal);

    const trainEmb = embed(net, train.images);
    held.push(trainEmb);
    const trainD2T = squaredDistances(trainEmb, c);
    const trainD2 = (await trainD2T.data()) as Float32Array;
    trainD2T.dispose();
    const { radius, meaning, checked } = o.finalRadius(trainD2);
    const reason = collapseReason(initial, spreadStats(trainEmb, c), checked ? radius : undefined);
    if (reason) throw new KizukiError('COLLAPSED', { nodeId: ctx.nodeId, reason });

    const vectors = embed(net, images.images);
    held.push(vectors);
    const d2T = squaredDistances(vectors, c);
    const scores = Float32Array.from((await d2T.data()) as Float32Array);
    d2T.dispose();
    const bad = scores.filter((s) => !Number.isFinite(s)).length;
    if (bad > 0) throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: bad });

    const scatter = await sphereScatter(trainEmb, vectors, c, images.labels, radius, meaning);
    const centreNorm = Math.hypot(...((await c.data()) as Float32Array));
    const scoresValue: ScoresValue = { kind: 'Scores', scorer: o.scorer, scores, labels: images.labels, names: images.names };
    sphereSummaries.set(scoresValue, { objective: o.objective, radius, radiusMeaning: meaning, losses, centreNorm, pretrainedLayers, scatter });
    held.splice(held.indexOf(vectors), 1);
    return { scores: scoresValue, embeddings: { kind: 'Embeddings', vectors, labels: images.labels, names: images.names } };
  } finally {
    tf.dispose(held);
    net.dispose();
  }
}

/** Split a shuffled order into consecutive batches of `size` (the last one may be smaller). */
export function chunk(order: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}
