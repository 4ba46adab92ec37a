/**
 * Latent distance (the lecture's latent-code score): distance of each code z to the centre μ of the normal
 * training codes, Euclidean ‖z − μ‖ or Mahalanobis √((z − μ)ᵀ Σ⁻¹ (z − μ)) with Σ = (1 − ρ)S + ρνI + ενI
 * (S sample covariance, ν = tr S / D, ρ from Ledoit & Wolf 2004 or fixed). D may exceed n, so Σ⁻¹ is applied
 * through whichever of the D×D matrix or (Woodbury) the n×n Gram matrix is smaller, by Cholesky in float64.
 * Shapes: train [n,D], images [m,D] → scores [m]; r = percentile of the n training distances.
 */
import * as tf from '@tensorflow/tfjs';
import { KizukiError } from '../core/errors';
import { defineKernel, throwIfAborted } from '../core/kernel-types';
import type { ScoresValue } from '../core/kernel-types';
import type { Preview } from '../core/preview';
import { scoreHistogram, percentile } from '../core/score-stats';
import { latentDistanceNode } from './definition';

export type DistanceOptions = {
  metric: 'euclidean' | 'mahalanobis';
  shrinkage: 'ledoit-wolf' | 'fixed';
  shrinkageAmount: number;
  epsilon: number;
};

export type DistanceResult = {
  /** Distances of the training codes themselves (for the radius r). */
  train: Float64Array;
  images: Float64Array;
  /** Mahalanobis only: the shrinkage ρ used, the ridge ε actually needed, and which side was inverted. */
  shrinkage?: number;
  ridge?: number;
  solver?: 'primal' | 'dual' | 'diagonal';
};

/**
 * Ledoit-Wolf shrinkage intensity ρ ∈ [0,1] towards νI, from sums that need only the n×n Gram matrix
 * (or the D×D scatter): ρ = min(b̄², d²)/d² with d² = ‖S − νI‖²/D and b̄² = Σₖ‖xₖxₖᵀ − S‖²/(n²D)
 * = (Σₖ‖xₖ‖⁴/n − ‖S‖²)/(nD), for centred rows xₖ and S = XᵀX/n (the 1/n normalisation of the paper).
 * @param sumSqS ‖S‖²_F  @param traceS tr S  @param sumNorm4 Σₖ ‖xₖ‖⁴
 */
export function ledoitWolfShrinkage(n: number, d: number, traceS: number, sumSqS: number, sumNorm4: number): number {
  const nu = traceS / d;
  const delta = (sumSqS - 2 * nu * traceS + d * nu * nu) / d;
  const beta = Math.min((sumNorm4 / n - sumSqS) / (n * d), delta);
  if (!(delta > 0) || !(beta > 0)) return 0;
  return Math.min(1, beta / delta);
}

/** In-place Cholesky A = LLᵀ of a symmetric k×k row-major matrix; false when A is not positive definite. */
function cholesky(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j]!;
    for (let p = 0; p < j; p++) s -= a[j * k + p]! ** 2;
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let t = a[i * k + j]!;
      for (let p = 0; p < j; p++) t -= a[i * k + p]! * a[j * k + p]!;
      a[i * k + j] = t / ljj;
    }
  }
  return true;
}

/** ‖L⁻¹b‖² for the Cholesky factor L (lower triangle of `l`), b = row `row` of `rows` (width k). */
function solvedNormSq(l: Float64Array, k: number, rows: ArrayLike<number>, row: number, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < k; i++) {
    let t = rows[row * k + i]!;
    for (let p = 0; p < i; p++) t -= l[i * k + p]! * y[p]!;
    const v = t / l[i * k + i]!;
    y[i] = v;
    sum += v * v;
  }
  return sum;
}

const yieldNow = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Distances of the training codes and the codes to score to the centre of the training codes.
 * Creates no lasting tensors. `onRidge` is told when the ridge had to be raised to invert Σ.
 */
export async function latentDistances(
  train: tf.Tensor2D,
  images: tf.Tensor2D,
  opts: DistanceOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<DistanceResult> {
  const [n, d] = train.shape;
  const [xc, vc] = tf.tidy(() => {
    const mu = tf.mean(train, 0, true);
    return [tf.sub(train, mu) as tf.Tensor2D, tf.sub(images, mu) as tf.Tensor2D];
  });
  try {
    const sqNorms = async (x: tf.Tensor2D) => {
      const t = tf.tidy(() => tf.sum(tf.square(x), 1));
      const v = Float64Array.from(await t.data());
      t.dispose();
      return v;
    };
    const trainSq = await sqNorms(xc);
    const imageSq = await sqNorms(vc);
    if (opts.metric === 'euclidean') return { train: trainSq.map(Math.sqrt), images: imageSq.map(Math.sqrt) };

    // Σ = βS + αI with β = 1 − ρ, α = (ρ + ε)ν: Ledoit-Wolf's target νI plus a ridge that keeps Σ invertible.
    const primal = d <= n;
    const read = async (t: tf.Tensor) => {
      const v = Float64Array.from(await t.data());
      t.dispose();
      return v;
    };
    // primal: S·n = XᵀX (D×D); dual: G = XXᵀ (n×n), U = VXᵀ (m×n).
    const gram = await read(primal ? tf.matMul(xc, xc, true, false) : tf.matMul(xc, xc, false, true));
    let traceS = 0;
    let sumSqS = 0;
    for (let i = 0; i < gram.length; i++) sumSqS += gram[i]! ** 2;
    sumSqS /= n * n;
    for (const s of trainSq) traceS += s;
    traceS /= n;
    let sumNorm4 = 0;
    for (const s of trainSq) sumNorm4 += s * s;
    const rho = opts.shrinkage === 'fixed' ? opts.shrinkageAmount : ledoitWolfShrinkage(n, d, traceS, sumSqS, sumNorm4);
    const nu = traceS / d > 0 ? traceS / d : 1;
    const beta = 1 - rho;

    let ridge = opts.epsilon;
    const alphaOf = () => rho * (traceS / d) + ridge * nu;
    if (beta === 0) {
      // Σ = αI: the Euclidean distance scaled by 1/√α (α > 0 needs some spread or a ridge).
      if (!(alphaOf() > 0)) ridge = 1e-6;
      const a = alphaOf();
      return { train: trainSq.map((s) => Math.sqrt(s / a)), images: imageSq.map((s) => Math.sqrt(s / a)), shrinkage: rho, ridge, solver: 'diagonal' };
    }
    const k = primal ? d : n;
    let factor = new Float64Array(0);
    for (let attempt = 0; ; attempt++) {
      const alpha = alphaOf();
      factor = new Float64Array(k * k);
      // primal: βXᵀX/n + αI; dual (Woodbury): (nα/β)I + XXᵀ.
      const scale = primal ? beta / n : 1;
      const diag = primal ? alpha : (n * alpha) / beta;
      for (let i = 0; i < k * k; i++) factor[i] = gram[i]! * scale;
      for (let i = 0; i < k; i++) factor[i * k + i] = factor[i * k + i]! + diag;
      if (cholesky(factor, k)) break;
      if (attempt >= 12) throw new Error('the covariance of the training codes could not be inverted even with a large ridge');
      ridge = Math.max(ridge * 10, 1e-9);
    }
    const alpha = alphaOf();
    const y = new Float64Array(k);
    const distances = async (rows: Float64Array, count: number, sq: Float64Array) => {
      const out = new Float64Array(count);
      for (let r = 0; r < count; r++) {
        if (r % 64 === 63) {
          throwIfAborted(signal);
          await yieldNow();
        }
        const q = solvedNormSq(factor, k, rows, r, y);
        // primal: d² = ‖L⁻¹v‖²; dual: d² = (‖v‖² − uᵀK⁻¹u)/α (Woodbury), clamped at 0 against rounding.
        out[r] = Math.sqrt(Math.max(0, primal ? q : (sq[r]! - q) / alpha));
      }
      return out;
    };
    const trainRows = primal ? await read(xc.clone()) : gram;
    const imageRows = await read(primal ? vc.clone() : tf.matMul(vc, xc, false, true));
    return {
      train: await distances(trainRows, n, trainSq),
      images: await distances(imageRows, images.shape[0], imageSq),
      shrinkage: rho,
      ridge,
      solver: primal ? 'primal' : 'dual',
    };
  } finally {
    xc.dispose();
    vc.dispose();
  }
}

type RadiusStats = {
  r: number;
  percentile: number;
  nTrain: number;
  dims: number;
  metricLine: string;
};

/** Preview facts that are not part of the Scores value; keyed by the output object (one per run). */
const statsOf = new WeakMap<ScoresValue, RadiusStats>();

/** Score histogram whose range also covers r, with r marked. */
function histogramWithRadius(scores: ScoresValue, r: number, pct: number): Preview {
  // Add r as one extra unlabelled value so the shared bin edges span it, then take it out of its bin again.
  const values = Float32Array.from([...scores.scores, r]);
  const labels = Int8Array.from([...scores.labels, -1]);
  const h = scoreHistogram(values, labels, `${scores.scorer} (r = ${pct}th percentile of train)`);
  if (Number.isFinite(r)) {
    const bins = h.unknown.length;
    const lo = h.edges[0]!;
    const width = (h.edges[bins]! - lo) / bins;
    const b = Math.min(bins - 1, Math.floor((Math.fround(r) - lo) / width));
    h.unknown[b] = h.unknown[b]! - 1;
  }
  return { ...h, marker: { value: r, label: `r (${pct}th pct of train)` } };
}

export const latentDistanceKernel = defineKernel(latentDistanceNode, {
  async run({ train, images }, params, ctx) {
    const [n, d] = train.vectors.shape;
    const [m, dImages] = images.vectors.shape;
    if (d !== dImages) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: `training codes have ${d} dimensions but codes to score have ${dImages}`,
        hint: 'Connect codes from the same encoder to both inputs (e.g. the AutoEncoder\'s trainCodes and codes).',
      });
    }
    if (n === 0 || m === 0) {
      throw new KizukiError('SHAPE_MISMATCH', {
        nodeId: ctx.nodeId,
        what: n === 0 ? 'there are no training codes' : 'there are no codes to score',
        hint: 'Check that the image sets upstream load at least one image.',
      });
    }
    if (params.metric === 'mahalanobis' && n < 2) ctx.warn('Mahalanobis distance needs at least 2 training codes; with 1 it is the Euclidean distance scaled by the ridge ε.');
    let result: DistanceResult;
    try {
      result = await latentDistances(train.vectors, images.vectors, params, ctx.signal);
    } catch (err) {
      if (err instanceof Error && err.name !== 'AbortError' && !(err instanceof KizukiError)) {
        throw new KizukiError('KERNEL_FAILED', { nodeId: ctx.nodeId, reason: err.message });
      }
      throw err;
    }
    const bad = result.images.filter((s) => !Number.isFinite(s)).length;
    if (bad > 0) throw new KizukiError('NON_FINITE_SCORES', { nodeId: ctx.nodeId, count: bad });
    if (result.ridge !== undefined && result.ridge > params.epsilon) {
      ctx.warn(`The covariance of the training codes was nearly singular: the ridge ε was raised from ${params.epsilon} to ${result.ridge.toExponential(1)}.`);
    }
    const r = percentile(result.train, params.percentile);
    const scorer = params.metric === 'euclidean' ? 'latent distance' : 'latent Mahalanobis distance';
    const scores: ScoresValue = { kind: 'Scores', scorer, scores: Float32Array.from(result.images), labels: images.labels, names: images.names };
    const metricLine =
      params.metric === 'euclidean'
        ? `Euclidean distance to the mean of ${n} training codes (${d} dimensions)`
        : `Mahalanobis, ${params.shrinkage === 'fixed' ? 'fixed' : 'Ledoit-Wolf'} shrinkage ρ = ${result.shrinkage!.toFixed(3)}, ` +
          `ridge ε = ${result.ridge!.toExponential(1)} (${d} dimensions, ${n} training codes, ${result.solver} solve)`;
    statsOf.set(scores, { r, percentile: params.percentile, nTrain: n, dims: d, metricLine });
    return { scores };
  },
  preview({ scores }, params) {
    const stats = statsOf.get(scores);
    if (!stats) return [{ kind: 'text', lines: [`${scores.scores.length} images scored`] }];
    const inside = { 0: [0, 0], 1: [0, 0], [-1]: [0, 0] } as Record<number, [number, number]>;
    scores.scores.forEach((s, i) => {
      const l = scores.labels[i] === 0 || scores.labels[i] === 1 ? scores.labels[i]! : -1;
      const c = inside[l]!;
      c[1]++;
      if (s <= Math.fround(stats.r)) c[0]++;
    });
    const parts = ([[0, 'normal'], [1, 'anomalous'], [-1, 'unlabelled']] as const)
      .filter(([l]) => inside[l]![1] > 0)
      .map(([l, name]) => `${inside[l]![0]} of ${inside[l]![1]} ${name}`);
    return [
      histogramWithRadius(scores, stats.r, params.percentile),
      {
        kind: 'text',
        lines: [
          `r = ${stats.r.toPrecision(4)} (${stats.percentile}th percentile of ${stats.nTrain} training distances)`,
          `n inside r: ${parts.join(', ')}`,
          stats.metricLine,
        ],
      },
    ];
  },
});
