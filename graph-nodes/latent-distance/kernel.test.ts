import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KizukiError } from '../core/errors';
import type { EmbeddingsValue } from '../core/kernel-types';
import { createRng } from '../core/random';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { latentDistanceNode } from './definition';
import { percentile } from '../core/score-stats';
import { latentDistanceKernel, latentDistances, ledoitWolfShrinkage } from './kernel';

const emb = (rows: number[][], labels?: number[]): EmbeddingsValue => ({
  kind: 'Embeddings',
  vectors: tf.tensor2d(rows),
  labels: Int8Array.from(labels ?? rows.map(() => 0)),
  names: rows.map((_, i) => `z${i}`),
});

const params = (p: Record<string, unknown> = {}) => latentDistanceNode.params.parse(p);

/** latentDistances on plain arrays, disposing its input tensors. */
async function distances(train: number[][], images: number[][], opts: ReturnType<typeof params>) {
  const t = tf.tensor2d(train);
  const v = tf.tensor2d(images);
  try {
    return await latentDistances(t, v, opts);
  } finally {
    tf.dispose([t, v]);
  }
}

/** Random codes with correlated, very unequal axes (so Mahalanobis ≠ Euclidean). */
function codes(n: number, d: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, () => rng.normal());
    return z.map((v, j) => 3 ** j * v + (j > 0 ? 0.8 * z[0]! : 0) + 0.5);
  });
}

/** Inverse by Gauss-Jordan with partial pivoting (float64), for the reference values. */
function inverse(a: number[][]): number[][] {
  const k = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    for (let j = 0; j < 2 * k; j++) m[c]![j]! /= piv;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * k; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row) => row.slice(k));
}

/** Reference: centre, S = XᵀX/n, Σ = (1−ρ)S + (ρ+ε)νI, d = √(vᵀΣ⁻¹v) by a direct inverse; also LW ρ from its definition. */
function reference(train: number[][], images: number[][], rho: number | 'lw', eps: number) {
  const n = train.length;
  const d = train[0]!.length;
  const mu = Array.from({ length: d }, (_, j) => train.reduce((s, r) => s + r[j]!, 0) / n);
  const xc = train.map((r) => r.map((v, j) => v - mu[j]!));
  const s = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => xc.reduce((acc, r) => acc + r[i]! * r[j]!, 0) / n));
  const nu = s.reduce((acc, row, i) => acc + row[i]!, 0) / d;
  // Ledoit & Wolf 2004, Lemma 3.3 / 3.4 with the normalised norm ‖A‖² = tr(AAᵀ)/d.
  const norm2 = (a: number[][]) => a.reduce((acc, row) => acc + row.reduce((t, v) => t + v * v, 0), 0) / d;
  const d2 = norm2(s.map((row, i) => row.map((v, j) => v - (i === j ? nu : 0))));
  const b2 = xc.reduce((acc, x) => acc + norm2(x.map((xi, i) => x.map((xj, j) => xi * xj - s[i]![j]!))), 0) / (n * n);
  const lw = Math.min(b2, d2) / d2;
  const r = rho === 'lw' ? lw : rho;
  const sigma = s.map((row, i) => row.map((v, j) => (1 - r) * v + (i === j ? (r + eps) * nu : 0)));
  const inv = inverse(sigma);
  const dist = (z: number[]) => {
    const v = z.map((x, j) => x - mu[j]!);
    return Math.sqrt(v.reduce((acc, vi, i) => acc + vi * v.reduce((t, vj, j) => t + inv[i]![j]! * vj, 0), 0));
  };
  return { lw, train: train.map(dist), images: images.map(dist) };
}

const relClose = (a: ArrayLike<number>, b: number[], tol: number) => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(Math.abs(a[i]! - v) / Math.max(1, Math.abs(v)), `index ${i}: ${a[i]} vs ${v}`).toBeLessThan(tol));
};

describe('percentile (numpy linear interpolation)', () => {
  it('interpolates between order statistics', () => {
    expect(percentile([10, 1, 4, 3, 2], 95)).toBeCloseTo(8.8, 12); // pos 3.8 → 4 + 0.8·6
    expect(percentile([10, 1, 4, 3, 2], 50)).toBe(3);
    expect(percentile([10, 1, 4, 3, 2], 0)).toBe(1);
    expect(percentile([10, 1, 4, 3, 2], 100)).toBe(10);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('latent distance: Euclidean', () => {
  it('hand-made 2-D codes: centre, distances, percentile r and inside-r counts', async () => {
    // Centre (0,0); training distances 1,1,2,2,3,3 → 30th percentile: pos 1.5 → 1.5.
    const train = emb([[1, 0], [-1, 0], [0, 2], [0, -2], [3, 0], [-3, 0]]);
    const images = emb([[0, 0], [3, 4], [0, -1], [6, 8]], [0, 1, 0, -1]);
    const before = tf.memory().numTensors;
    const { ctx } = testContext();
    const out = await latentDistanceKernel.run({ train, images }, params({ percentile: 30 }), ctx);
    expect(Array.from(out.scores.scores)).toEqual([0, 5, 1, 10]);
    expect(out.scores.scorer).toBe('latent distance');
    expect(out.scores.labels).toBe(images.labels);
    const preview = await latentDistanceKernel.preview!(out, params({ percentile: 30 }));
    const hist = preview[0] as Extract<(typeof preview)[number], { kind: 'histogram' }>;
    expect(hist.kind).toBe('histogram');
    expect(hist.marker?.value).toBeCloseTo(1.5, 12);
    // r itself is not counted: the 4 scores fall in bins, the unknown bin count is the one -1 image.
    expect(hist.normal.reduce((a, b) => a + b, 0) + hist.anomalous.reduce((a, b) => a + b, 0) + hist.unknown.reduce((a, b) => a + b, 0)).toBe(4);
    expect(hist.unknown.reduce((a, b) => a + b, 0)).toBe(1);
    const text = preview[1] as Extract<(typeof preview)[number], { kind: 'text' }>;
    expect(text.lines[0]).toMatch(/^r = 1\.500 \(30th percentile of 6 training distances\)/);
    expect(text.lines[1]).toBe('n inside r: 2 of 2 normal, 0 of 1 anomalous, 0 of 1 unlabelled');
    // The kernel created exactly the scores (no tensors at all); nothing leaks.
    expect(tf.memory().numTensors).toBe(before);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.vectors, images.vectors]);
  });

  it('is invariant to shifting all codes, and scales with them', async () => {
    const t = codes(10, 3, 1);
    const v = codes(5, 3, 2);
    const shift = (rows: number[][], c: number, s = 1) => rows.map((r) => r.map((x) => s * x + c));
    const base = await distances(t, v, params());
    const moved = await distances(shift(t, 7, 2), shift(v, 7, 2), params());
    relClose(moved.images, Array.from(base.images, (x) => 2 * x), 1e-5);
  });
});

describe('latent distance: Mahalanobis', () => {
  it('equals a direct inverse of the sample covariance on a small full-rank case (no shrinkage, no ridge)', async () => {
    const train = codes(12, 3, 3);
    const images = codes(5, 3, 4);
    const ref = reference(train, images, 0, 0);
    const t = tf.tensor2d(train);
    const v = tf.tensor2d(images);
    const before = tf.memory().numTensors;
    const r = await latentDistances(t, v, params({ metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 0, epsilon: 0 }));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.solver).toBe('primal');
    relClose(r.images, ref.images, 1e-4);
    relClose(r.train, ref.train, 1e-4);
    // Closed form: Σᵢ dᵢ² over the training codes = n·D when Σ = S (trace of S⁻¹S).
    expect(Array.from(r.train).reduce((a, x) => a + x * x, 0)).toBeCloseTo(12 * 3, 3);
    tf.dispose([t, v]);
  });

  it('is invariant to an invertible linear map of the codes (unlike Euclidean)', async () => {
    const train = codes(12, 3, 5);
    const images = codes(4, 3, 6);
    const map = (rows: number[][]) => rows.map(([a, b, c]) => [100 * a!, a! + b!, c! - 2 * b!]);
    const opts = params({ metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 0, epsilon: 0 });
    const a = await distances(train, images, opts);
    const b = await distances(map(train), map(images), opts);
    relClose(b.images, Array.from(a.images), 1e-3);
  });

  it('Ledoit-Wolf ρ from the Gram sums equals the paper\'s definition, in both the D×D and the n×n (Woodbury) solve', async () => {
    for (const [n, d, seed] of [
      [20, 4, 7],
      [8, 12, 8],
    ] as const) {
      const train = codes(n, d, seed);
      const images = codes(3, d, seed + 10);
      const ref = reference(train, images, 'lw', 1e-6);
      const r = await distances(train, images, params({ metric: 'mahalanobis' }));
      expect(r.solver).toBe(d <= n ? 'primal' : 'dual');
      expect(ref.lw).toBeGreaterThan(0);
      expect(ref.lw).toBeLessThan(1);
      expect(r.shrinkage!).toBeCloseTo(ref.lw, 5);
      relClose(r.images, ref.images, 1e-3);
      relClose(r.train, ref.train, 1e-3);
    }
  });

  it('fixed shrinkage with D > n (singular S): the Woodbury solve equals the direct D×D inverse', async () => {
    const train = codes(4, 7, 11);
    const images = codes(3, 7, 12);
    const ref = reference(train, images, 0.3, 1e-3);
    const r = await distances(train, images, params({ metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 0.3, epsilon: 1e-3 }));
    expect(r.solver).toBe('dual');
    relClose(r.images, ref.images, 1e-3);
    // ρ = 1: Σ = (1+ε)νI, the Euclidean distance / √((1+ε)ν).
    const ref1 = reference(train, images, 1, 0);
    const r1 = await distances(train, images, params({ metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 1, epsilon: 0 }));
    expect(r1.solver).toBe('diagonal');
    relClose(r1.images, ref1.images, 1e-4);
  });

  it('raises the ridge with a warning when S is singular and there is no shrinkage', async () => {
    const train = emb(codes(3, 6, 13));
    const images = emb(codes(2, 6, 14));
    const { ctx, warnings } = testContext();
    const out = await latentDistanceKernel.run({ train, images }, params({ metric: 'mahalanobis', shrinkage: 'fixed', shrinkageAmount: 0, epsilon: 0 }), ctx);
    expect(Array.from(out.scores.scores).every(Number.isFinite)).toBe(true);
    expect(warnings.join()).toMatch(/nearly singular: the ridge ε was raised/);
    const preview = await latentDistanceKernel.preview!(out, params({ metric: 'mahalanobis' }));
    expect((preview[1] as { lines: string[] }).lines[2]).toMatch(/Mahalanobis, fixed shrinkage ρ = 0\.000.*dual solve/);
    tf.dispose([train.vectors, images.vectors]);
  });
});

describe('latent distance kernel: bad input', () => {
  it('rejects codes of different widths with SHAPE_MISMATCH', async () => {
    const train = emb([[0, 0, 0]]);
    const images = emb([[0, 0]]);
    const err = await latentDistanceKernel.run({ train, images }, params(), testContext({ nodeId: 'ld' }).ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KizukiError);
    expect(err.info).toMatchObject({ code: 'SHAPE_MISMATCH', nodeId: 'ld' });
    expect(err.info.message).toMatch(/3 dimensions.*2/);
    expect(err.info.hint).toMatch(/trainCodes/);
    tf.dispose([train.vectors, images.vectors]);
  });

  it('reports NaN codes as NON_FINITE_SCORES, leaking nothing', async () => {
    const train = emb([[0, 0], [1, 1]]);
    const images = emb([[0, NaN], [1, 0]]);
    const before = tf.memory().numTensors;
    for (const metric of ['euclidean', 'mahalanobis']) {
      const err = await latentDistanceKernel.run({ train, images }, params({ metric }), testContext().ctx).catch((e) => e);
      expect(err.info).toMatchObject({ code: 'NON_FINITE_SCORES' });
      expect(err.info.message).toMatch(/1 scores/);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.vectors, images.vectors]);
  });

  it('has documented defaults and bounds', () => {
    expect(latentDistanceNode.params.parse({})).toEqual({
      metric: 'euclidean',
      percentile: 95,
      shrinkage: 'ledoit-wolf',
      shrinkageAmount: 0.1,
      epsilon: 1e-6,
    });
    expect(latentDistanceNode.params.safeParse({ percentile: 101 }).success).toBe(false);
    expect(ledoitWolfShrinkage(4, 2, 0, 0, 0)).toBe(0);
  });
});
