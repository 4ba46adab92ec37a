/**
 * Per-patch multivariate Gaussians for PaDiM (Defard et al., ICPR 2021), in plain JS float64 (no tfjs).
 * Fit, streaming: for each patch position p we keep n, a shift K_p (the first image's vector) and the shifted
 * sums S1 = Σ(x−K) and S2 = Σ(x−K)(x−K)ᵀ (upper triangle, float64), so memory is O(P·d²) whatever the number
 * of images; μ = K + S1/n and Σ = (S2 − S1·S1ᵀ/n)/(n−1) (unbiased, as PaDiM's np.cov). Shifting by a sample
 * avoids the cancellation of raw Σxxᵀ − nμμᵀ. Inverse: Σ + εI = LLᵀ (Cholesky), W = L⁻¹ (lower), so the
 * Mahalanobis distance is √((x−μ)ᵀ(Σ+εI)⁻¹(x−μ)) = ‖W(x−μ)‖, never negative. Feature layout: [b, P, d].
 */

export class PatchGaussianAccumulator {
  readonly triangle: number;
  n = 0;
  private readonly shift: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly xt: Float64Array;

  /**
   * @param patches P, patch positions (h·w of the feature grid)
   * @param d feature channels per patch
   * @param maxBatch most images passed to one `add`
   */
  constructor(
    readonly patches: number,
    readonly d: number,
    readonly maxBatch: number,
  ) {
    this.triangle = (d * (d + 1)) / 2;
    this.shift = new Float64Array(patches * d);
    this.s1 = new Float64Array(patches * d);
    this.s2 = new Float64Array(patches * this.triangle);
    this.xt = new Float64Array(d * maxBatch);
  }

  /** Add b images' features, float32 [b, P, d]. */
  add(features: ArrayLike<number>, b: number): void {
    const { patches: P, d, triangle: T, xt, shift, s1, s2 } = this;
    if (b > this.maxBatch) throw new Error(`batch of ${b} exceeds maxBatch ${this.maxBatch}`);
    if (features.length !== b * P * d) throw new Error(`expected ${b * P * d} feature values, got ${features.length}`);
    if (b === 0) return;
    if (this.n === 0) for (let p = 0; p < P; p++) for (let c = 0; c < d; c++) shift[p * d + c] = features[p * d + c]!;
    for (let p = 0; p < P; p++) {
      // xt[c·b + i] = x_i[c] − K[c] for this patch (channel-major, so the inner loop runs over images).
      const kp = p * d;
      for (let i = 0; i < b; i++) {
        const base = (i * P + p) * d;
        for (let c = 0; c < d; c++) xt[c * b + i] = features[base + c]! - shift[kp + c]!;
      }
      for (let c = 0; c < d; c++) {
        let s = 0;
        const r = c * b;
        for (let i = 0; i < b; i++) s += xt[r + i]!;
        s1[kp + c]! += s;
      }
      this.addOuter(p * T, b);
    }
    this.n += b;
  }

  /**
   * S2 (packed upper triangle of one patch, from `o`) += Xᵀ·X for the b centred vectors in xt (channel-major).
   * 2×2 register blocks: rows a, a+1 × columns c, c+1 share their loads (about twice as fast as one entry a time).
   */
  private addOuter(o: number, b: number): void {
    const { d, xt, s2 } = this;
    // Start of row r in the packed upper triangle (entries (r,r)…(r,d−1)).
    const row = (r: number) => o + r * d - (r * (r - 1)) / 2;
    let a = 0;
    for (; a + 1 < d; a += 2) {
      const ra = a * b;
      const rb = ra + b;
      const oa = row(a);
      const ob = row(a + 1);
      let saa = 0;
      let sab = 0;
      let sbb = 0;
      for (let i = 0; i < b; i++) {
        const xa = xt[ra + i]!;
        const xb = xt[rb + i]!;
        saa += xa * xa;
        sab += xa * xb;
        sbb += xb * xb;
      }
      s2[oa]! += saa;
      s2[oa + 1]! += sab;
      s2[ob]! += sbb;
      let c = a + 2;
      for (; c + 1 < d; c += 2) {
        const rc = c * b;
        const rd = rc + b;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let i = 0; i < b; i++) {
          const xa = xt[ra + i]!;
          const xb = xt[rb + i]!;
          const xc = xt[rc + i]!;
          const xd = xt[rd + i]!;
          s00 += xa * xc;
          s01 += xa * xd;
          s10 += xb * xc;
          s11 += xb * xd;
        }
        s2[oa + c - a]! += s00;
        s2[oa + c + 1 - a]! += s01;
        s2[ob + c - a - 1]! += s10;
        s2[ob + c - a]! += s11;
      }
      if (c < d) {
        const rc = c * b;
        let s0 = 0;
        let s1 = 0;
        for (let i = 0; i < b; i++) {
          const xc = xt[rc + i]!;
          s0 += xt[ra + i]! * xc;
          s1 += xt[rb + i]! * xc;
        }
        s2[oa + c - a]! += s0;
        s2[ob + c - a - 1]! += s1;
      }
    }
    if (a < d) {
      const ra = a * b;
      let s = 0;
      for (let i = 0; i < b; i++) s += xt[ra + i]! * xt[ra + i]!;
      s2[row(a)]! += s;
    }
  }

  /** Mean of patch p (float64, length d). */
  mean(p: number, out = new Float64Array(this.d)): Float64Array {
    const { d, n } = this;
    for (let c = 0; c < d; c++) out[c] = this.shift[p * d + c]! + (n > 0 ? this.s1[p * d + c]! / n : 0);
    return out;
  }

  /** Unbiased covariance of patch p as a full row-major d×d matrix (zero when n < 2). */
  covariance(p: number, out = new Float64Array(this.d * this.d)): Float64Array {
    const { d, n, triangle: T } = this;
    if (n < 2) return out.fill(0);
    let o = p * T;
    for (let a = 0; a < d; a++) {
      const ma = this.s1[p * d + a]! / n;
      for (let c = a; c < d; c++) {
        const v = (this.s2[o++]! - ma * this.s1[p * d + c]!) / (n - 1);
        out[a * d + c] = v;
        out[c * d + a] = v;
      }
    }
    return out;
  }
}

/**
 * In-place Cholesky of a symmetric positive-definite d×d matrix (row-major): on success its lower triangle holds
 * L with A = LLᵀ and the function returns true; returns false (matrix partly overwritten) when a pivot is ≤ 0.
 */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    let s = a[rj + j]!;
    for (let k = 0; k < j; k++) s -= a[rj + k]! * a[rj + k]!;
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = a[ri + j]!;
      for (let k = 0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = t / ljj;
    }
  }
  return true;
}

/**
 * W = L⁻¹ for the lower-triangular L in `l` (row-major d×d, upper part ignored), written packed row by row
 * (row i holds W[i][0..i], at offset i(i+1)/2) into `out` from `offset`. Forward substitution L·W = I.
 */
export function invertLowerPacked(l: Float64Array, d: number, out: Float32Array | Float64Array, offset: number, scratch = new Float64Array(d * d)): void {
  const w = scratch;
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    for (let c = 0; c <= i; c++) w[ri + c] = c === i ? 1 : 0;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const rk = k * d;
      for (let c = 0; c <= k; c++) w[ri + c]! -= lik * w[rk + c]!;
    }
    const inv = 1 / l[ri + i]!;
    let o = offset + (i * (i + 1)) / 2;
    for (let c = 0; c <= i; c++) {
      const v = w[ri + c]! * inv;
      w[ri + c] = v;
      out[o++] = v;
    }
  }
}

export type FittedGaussians = {
  patches: number;
  d: number;
  /** μ per patch, [P, d]. */
  mean: Float64Array;
  /** W_p = L_p⁻¹ per patch, lower triangles packed row by row, [P, d(d+1)/2]. */
  factor: Float32Array;
  /** Patches whose covariance needed more than the requested ε to be positive definite, and the largest ε used. */
  raised: number;
  maxEpsilon: number;
};

/**
 * Invert Σ_p + εI for patches [from, to) into `fitted`. A covariance that is not positive definite even with ε
 * (rank-deficient and rounding) gets ε·10, ε·100, … until Cholesky succeeds; those patches are counted in `raised`.
 */
export function invertPatches(acc: PatchGaussianAccumulator, epsilon: number, fitted: FittedGaussians, from: number, to: number): void {
  const { d } = acc;
  const cov = new Float64Array(d * d);
  const scratch = new Float64Array(d * d);
  const mu = new Float64Array(d);
  const T = (d * (d + 1)) / 2;
  for (let p = from; p < to; p++) {
    fitted.mean.set(acc.mean(p, mu), p * d);
    let eps = epsilon;
    for (let attempt = 0; ; attempt++) {
      acc.covariance(p, cov);
      for (let c = 0; c < d; c++) cov[c * d + c]! += eps;
      if (choleskyInPlace(cov, d)) break;
      if (attempt >= 12) throw new Error(`the covariance of patch ${p} is not finite or not positive definite even with ε = ${eps}`);
      eps *= 10;
    }
    if (eps > epsilon) {
      fitted.raised++;
      fitted.maxEpsilon = Math.max(fitted.maxEpsilon, eps);
    }
    invertLowerPacked(cov, d, fitted.factor, p * T, scratch);
  }
}

export function emptyFit(patches: number, d: number, epsilon: number): FittedGaussians {
  return {
    patches,
    d,
    mean: new Float64Array(patches * d),
    factor: new Float32Array((patches * d * (d + 1)) / 2),
    raised: 0,
    maxEpsilon: epsilon,
  };
}

/** Mahalanobis distances ‖W_p(x−μ_p)‖ of b images' features [b, P, d] → [b, P]. */
export function mahalanobis(fit: FittedGaussians, features: ArrayLike<number>, b: number, out = new Float32Array(b * fit.patches)): Float32Array {
  const { patches: P, d, mean, factor } = fit;
  const T = (d * (d + 1)) / 2;
  const diff = new Float64Array(d);
  for (let p = 0; p < P; p++) {
    const wp = p * T;
    const mp = p * d;
    for (let i = 0; i < b; i++) {
      const base = (i * P + p) * d;
      for (let c = 0; c < d; c++) diff[c] = features[base + c]! - mean[mp + c]!;
      let sum = 0;
      let o = wp;
      for (let r = 0; r < d; r++) {
        let y = 0;
        for (let c = 0; c <= r; c++) y += factor[o++]! * diff[c]!;
        sum += y * y;
      }
      out[i * P + p] = Math.sqrt(sum);
    }
  }
  return out;
}
