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
  const px = (x: number, y: number) => (y * w + x) * c + srcOffset;
  for (let y = 0; y < h; y++) {
    const dy = sy * y + ty - cy;
    for (let x = 0; x < w; x++) {
      const dx = sx * x + tx - cx;
      // Inverse rotation (forward: a point right of the centre moves up for angle > 0, with y pointing down).
      let xs = cx + dx * cos - dy * sin;
      let ys = cy + dx * sin + dy * cos;
      if (g.flip) xs = w - 1 - xs;
      const o = outOffset + (y * w + x) * c;
      if (fill === 'edge') {
        xs = xs < 0 ? 0 : xs > w - 1 ? w - 1 : xs;
        ys = ys < 0 ? 0 : ys > h - 1 ? h - 1 : ys;
      }
      const x0 = Math.floor(xs);
      const y0 = Math.floor(ys);
      const fx = xs - x0;
      const fy = ys - y0;
      const x1 = x0 + 1;
      const y1 = y0 + 1;
      const in00 = x0 >= 0 && x0 < w && y0 >= 0 && y0 < h;
      const in10 = x1 >= 0 && x1 < w && y0 >= 0 && y0 < h;
      const in01 = x0 >= 0 && x0 < w && y1 >= 0 && y1 < h;
      const in11 = x1 >= 0 && x1 < w && y1 >= 0 && y1 < h;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      for (let k = 0; k < c; k++) {
        let v = 0;
        // With fill 'edge' a tap past the last row/column has weight 0 (the position was clamped), so skipping it is exact.
        if (in00) v += w00 * src[px(x0, y0) + k]!;
        if (in10 && w10 !== 0) v += w10 * src[px(x1, y0) + k]!;
        if (in01 && w01 !== 0) v += w01 * src[px(x0, y1) + k]!;
        if (in11 && w11 !== 0) v += w11 * src[px(x1, y1) + k]!;
        out[o + k] = v;
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

/** Standard normal draws from `rng`, using both values of each Box–Muller pair (half the uniforms of rng.normal()). */
export function normalStream(rng: Rng): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = Math.max(rng.next(), 1e-12);
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng.next();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
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
