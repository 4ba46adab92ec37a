/**
 * Pure pixel maths of the augment node (no tfjs, identical in browser and Node): one composed geometric warp
 * (flip → rotate about the centre → crop resized back) sampled once with bilinear interpolation, then contrast
 * around the per-channel mean, a brightness shift, Gaussian noise and clipping to 0..1.
 * Images are one [H,W,C] float32 block, row-major, channels last; masks are [H,W] with the same geometry.
 */
import type { Rng } from '../core/random';

export type Geometry = {
  /** Mirror left-right (applied first). */
  flip: boolean;
  /** Rotation in radians about the image centre; positive turns the picture counter-clockwise on screen. */
  angle: number;
  /** Crop window in pixel-edge coordinates of the rotated image (pixel i spans [i, i+1]), resized to full size. */
  crop: { x0: number; y0: number; w: number; h: number } | null;
};

export type Augmentation = Geometry & {
  /** Contrast factor f: x → m + f·(x − m), m the per-channel mean of the warped image. */
  contrast: number;
  /** Added to every pixel after the contrast change. */
  brightness: number;
};

export type AugmentSettings = {
  flipHorizontal: number;
  rotationDegrees: number;
  cropScale: number;
  brightness: number;
  contrast: number;
};

export const identityGeometry: Geometry = { flip: false, angle: 0, crop: null };

/**
 * Draw one copy's random settings. Always draws the same six numbers in the same order, so enabling one
 * transform does not change the random draws of the others.
 */
export function drawAugmentation(rng: Rng, s: AugmentSettings, h: number, w: number): Augmentation {
  const flipU = rng.next();
  const angleU = rng.uniform(-1, 1);
  const areaU = rng.uniform(s.cropScale, 1);
  const xU = rng.next();
  const yU = rng.next();
  const contrastU = rng.uniform(-1, 1);
  const brightnessU = rng.uniform(-1, 1);
  let crop: Geometry['crop'] = null;
  if (s.cropScale < 1) {
    // Keep the aspect ratio: both sides shrink by √(area share).
    const side = Math.sqrt(areaU);
    const cw = w * side;
    const ch = h * side;
    crop = { x0: xU * (w - cw), y0: yU * (h - ch), w: cw, h: ch };
  }
  return {
    flip: flipU < s.flipHorizontal,
    angle: (angleU * s.rotationDegrees * Math.PI) / 180,
    crop,
    contrast: 1 + contrastU * s.contrast,
    brightness: brightnessU * s.brightness,
  };
}

export function isIdentity(g: Geometry): boolean {
  return !g.flip && g.angle === 0 && g.crop === null;
}

/**
 * Warp one image ([h,w,c] at `srcOffset` in `src`) into `out` at `outOffset` by the inverse map of `g`.
 * fill 'edge' clamps sample positions to the image (nearest border value); 'zero' treats outside pixels as 0.
 */
export function warp(
  src: Float32Array,
  srcOffset: number,
  h: number,
  w: number,
  c: number,
  g: Geometry,
  fill: 'edge' | 'zero',
  out: Float32Array,
  outOffset: number,
): void {
  if (isIdentity(g)) {
    out.set(src.subarray(srcOffset, srcOffset + h * w * c), outOffset);
    return;
  }
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  // Output pixel centre x → crop-window position (half-pixel-centre convention, as resizeBilinear).
  const sx = g.crop ? g.crop.w / w : 1;
  const sy = g.crop ? g.crop.h / h : 1;
  const tx = g.crop ? g.crop.x0 + 0.5 * sx - 0.5 : 0;
  const ty = g.crop ? g.crop.y0 + 0.5 * sy - 0.5 : 0;
  const cos = Math.cos(g.angle);
  const sin = Math.sin(g.angle);
  // Inverse rotation (forward: a point right of the centre moves up for angle > 0, with y pointing down), written
  // as source = b(y) + x·a so the inner loop is two multiply-adds. x·a (not a running sum) keeps exact cases exact.
  const ax = sx * cos;
  const ay = sx * sin;
  const edge = fill === 'edge';
  for (let y = 0; y < h; y++) {
    const dy = sy * y + ty - cy;
    const bx = cx + (tx - cx) * cos - dy * sin;
    const by = cy + (tx - cx) * sin + dy * cos;
    let o = outOffset + y * w * c;
    for (let x = 0; x < w; x++, o += c) {
      let xs = bx + x * ax;
      let ys = by + x * ay;
      if (g.flip) xs = w - 1 - xs;
      if (edge) {
        xs = xs < 0 ? 0 : xs > w - 1 ? w - 1 : xs;
        ys = ys < 0 ? 0 : ys > h - 1 ? h - 1 : ys;
        const x0 = Math.floor(xs);
        const y0 = Math.floor(ys);
        const fx = xs - x0;
        const fy = ys - y0;
        // On the last row/column the weight of the next tap is 0: reuse the same pixel.
        const x1 = x0 < w - 1 ? x0 + 1 : x0;
        const y1 = y0 < h - 1 ? y0 + 1 : y0;
        const i00 = srcOffset + (y0 * w + x0) * c;
        const i10 = srcOffset + (y0 * w + x1) * c;
        const i01 = srcOffset + (y1 * w + x0) * c;
        const i11 = srcOffset + (y1 * w + x1) * c;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        for (let k = 0; k < c; k++) out[o + k] = w00 * src[i00 + k]! + w10 * src[i10 + k]! + w01 * src[i01 + k]! + w11 * src[i11 + k]!;
        continue;
      }
      const x0 = Math.floor(xs);
      const y0 = Math.floor(ys);
      const fx = xs - x0;
      const fy = ys - y0;
      for (let k = 0; k < c; k++) out[o + k] = 0;
      // Zero fill: taps outside the image contribute nothing.
      for (let t = 0; t < 4; t++) {
        const xi = x0 + (t & 1);
        const yi = y0 + (t >> 1);
        if (xi < 0 || yi < 0 || xi >= w || yi >= h) continue;
        const wt = (t & 1 ? fx : 1 - fx) * (t >> 1 ? fy : 1 - fy);
        if (wt === 0) continue;
        const i = srcOffset + (yi * w + xi) * c;
        for (let k = 0; k < c; k++) out[o + k] = out[o + k]! + wt * src[i + k]!;
      }
    }
  }
}

/**
 * Contrast (around the per-channel mean), brightness, optional Gaussian noise and clipping to 0..1, in place on
 * one [h·w, c] image at `offset`. `noise` gives standard-normal draws; it is not called when noiseStd is 0.
 */
export function photometric(
  img: Float32Array,
  offset: number,
  n: number,
  c: number,
  contrast: number,
  brightness: number,
  noiseStd: number,
  noise: () => number,
): void {
  for (let k = 0; k < c; k++) {
    let mean = 0;
    if (contrast !== 1) {
      for (let p = 0; p < n; p++) mean += img[offset + p * c + k]!;
      mean /= n;
    }
    for (let p = 0; p < n; p++) {
      const i = offset + p * c + k;
      let v = mean + contrast * (img[i]! - mean) + brightness;
      if (noiseStd > 0) v += noiseStd * noise();
      img[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}

/** Standard normal draws from `rng` by Marsaglia's polar method (both values of each pair; no trigonometry). */
export function normalStream(rng: Rng): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * rng.next() - 1;
      v = 2 * rng.next() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const m = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * m;
    return u * m;
  };
}

/** Threshold a warped mask back to {0,1} (≥ 0.5 = inside), in place. */
export function binarise(mask: Float32Array, offset: number, n: number): void {
  for (let p = offset; p < offset + n; p++) mask[p] = mask[p]! >= 0.5 ? 1 : 0;
}

/** Short human description of one copy's transform, for preview captions. */
export function describeAugmentation(a: Augmentation, noiseStd: number, h: number, w: number): string {
  const parts: string[] = [];
  if (a.flip) parts.push('flip');
  if (a.angle !== 0) parts.push(`${((a.angle * 180) / Math.PI).toFixed(1)}°`);
  if (a.crop) parts.push(`crop ${Math.round((100 * a.crop.w * a.crop.h) / (w * h))}%`);
  if (a.contrast !== 1) parts.push(`c×${a.contrast.toFixed(2)}`);
  if (a.brightness !== 0) parts.push(`b${a.brightness >= 0 ? '+' : ''}${a.brightness.toFixed(2)}`);
  if (noiseStd > 0) parts.push(`σ ${noiseStd}`);
  return parts.join(', ') || 'unchanged';
}
