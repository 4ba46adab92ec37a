/**
 * Kernel-side helper: turn a few images of a [N,H,W,C] tensor into small 8-bit RGBA thumbnails for previews.
 * Reads data asynchronously and creates no lasting tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { PreviewImage } from './preview';

export type ThumbnailOptions = {
  /** Which images (indices into the batch); default the first `count`. */
  indices?: number[];
  count?: number;
  maxSize?: number;
  /** Map values to 0..1 by dividing by the max over the selected images (for difference maps). */
  normalise?: boolean;
  /** Colour map for heatmaps instead of grey. */
  colormap?: 'grey' | 'heat';
  captions?: string[];
};

export async function thumbnails(
  images: tf.Tensor4D,
  labels: ArrayLike<number>,
  names: string[],
  opts: ThumbnailOptions = {},
): Promise<PreviewImage[]> {
  const n = images.shape[0];
  const indices = (opts.indices ?? Array.from({ length: Math.min(n, opts.count ?? 8) }, (_, i) => i)).filter((i) => i < n);
  if (indices.length === 0) return [];
  const maxSize = opts.maxSize ?? 64;
  const small = tf.tidy(() => {
    let x = tf.gather(images, indices) as tf.Tensor4D;
    const [, h, w] = x.shape;
    if (h > maxSize || w > maxSize) {
      const scale = maxSize / Math.max(h, w);
      x = tf.image.resizeBilinear(x, [Math.max(1, Math.round(h * scale)), Math.max(1, Math.round(w * scale))]);
    }
    if (opts.normalise) x = tf.div(x, tf.maximum(tf.max(x), 1e-8));
    return tf.clipByValue(x, 0, 1) as tf.Tensor4D;
  });
  const [, h, w, c] = small.shape;
  const data = await small.data();
  small.dispose();
  return indices.map((i, k) => {
    const rgba = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      const base = (k * h * w + p) * c;
      const r = data[base]!;
      const g = c >= 3 ? data[base + 1]! : r;
      const b = c >= 3 ? data[base + 2]! : r;
      const [R, G, B] = opts.colormap === 'heat' ? heat(r) : [r, g, b];
      rgba[p * 4] = R * 255;
      rgba[p * 4 + 1] = G * 255;
      rgba[p * 4 + 2] = B * 255;
      rgba[p * 4 + 3] = 255;
    }
    return {
      name: names[i] ?? `#${i}`,
      label: labels[i] ?? -1,
      width: w,
      height: h,
      rgba,
      ...(opts.captions?.[k] !== undefined ? { caption: opts.captions[k] } : {}),
    };
  });
}

/** A perceptually ordered black → red → yellow → white ramp. */
function heat(v: number): [number, number, number] {
  return [Math.min(1, v * 3), Math.min(1, Math.max(0, v * 3 - 1)), Math.min(1, Math.max(0, v * 3 - 2))];
}

/** Pick up to `count` indices, alternating normals and anomalies, so previews show both. */
export function mixedIndices(labels: ArrayLike<number>, count: number): number[] {
  const normals: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 0 ? normals : others).push(i);
  const out: number[] = [];
  while (out.length < count && (normals.length > 0 || others.length > 0)) {
    const a = normals.shift();
    if (a !== undefined) out.push(a);
    const b = others.shift();
    if (b !== undefined && out.length < count) out.push(b);
  }
  return out;
}

/**
 * Draw the outline of a binary mask (≥ 0.5 = inside) in red onto an RGBA thumbnail, in place: a pixel is on the
 * outline when it is inside and one of its 4 neighbours is outside (or off the image).
 * `mask` has width × height values, row-major, at the thumbnail's size.
 */
export function drawMaskOutline(rgba: Uint8ClampedArray, mask: ArrayLike<number>, width: number, height: number): void {
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x]! >= 0.5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y) || (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1))) continue;
      const i = (y * width + x) * 4;
      rgba[i] = 255;
      rgba[i + 1] = 60;
      rgba[i + 2] = 60;
    }
  }
}

/**
 * Outline the masks of the images shown in `thumbs` (made by `thumbnails` with the same `indices`), in place.
 * Masks [N,H,W,1] are resized to each thumbnail's size; all-zero masks draw nothing. Creates no lasting tensors.
 */
export async function outlineMasks(thumbs: PreviewImage[], masks: tf.Tensor4D, indices: number[]): Promise<void> {
  const pick = indices.filter((i) => i < masks.shape[0]).slice(0, thumbs.length);
  const first = thumbs[0];
  if (pick.length === 0 || !first) return;
  const { width, height } = first;
  const small = tf.tidy(() => {
    const m = tf.gather(masks, pick) as tf.Tensor4D;
    return m.shape[1] === height && m.shape[2] === width ? m : tf.image.resizeBilinear(m, [height, width]);
  });
  const data = await small.data();
  small.dispose();
  const px = width * height;
  pick.forEach((_, k) => {
    const thumb = thumbs[k];
    if (thumb) drawMaskOutline(thumb.rgba, data.subarray(k * px, (k + 1) * px), width, height);
  });
}

export type OverlayOptions = {
  /** Which images (indices into the batch). */
  indices: number[];
  maxSize?: number;
  /** Map values mapped to 0..1 by this range; default min..max over the selected maps. */
  range?: [number, number];
  /** Heat opacity at the top of the range (it fades out towards the bottom, so low values show the image). */
  opacity?: number;
  captions?: string[];
};

/**
 * Heatmaps blended over their images: grey X-ray + heat colour map whose alpha grows with the value
 * (alpha = opacity·v, v = map normalised by `range`). images [N,H,W,C] in 0..1, maps [N,h,w,1] (resized to
 * the thumbnail). Returns 8-bit RGBA thumbnails; creates no lasting tensors.
 */
export async function overlayThumbnails(
  images: tf.Tensor4D,
  maps: tf.Tensor4D,
  labels: ArrayLike<number>,
  names: string[],
  opts: OverlayOptions,
): Promise<PreviewImage[]> {
  const indices = opts.indices.filter((i) => i < images.shape[0] && i < maps.shape[0]);
  if (indices.length === 0) return [];
  const maxSize = opts.maxSize ?? 96;
  const [, H, W] = images.shape;
  const scale = Math.min(1, maxSize / Math.max(H, W));
  const h = Math.max(1, Math.round(H * scale));
  const w = Math.max(1, Math.round(W * scale));
  const [grey, heatT] = tf.tidy(() => {
    let x = tf.gather(images, indices) as tf.Tensor4D;
    if (x.shape[3] > 1) x = tf.mean(x, 3, true) as tf.Tensor4D;
    let m = tf.gather(maps, indices) as tf.Tensor4D;
    if (x.shape[1] !== h || x.shape[2] !== w) x = tf.image.resizeBilinear(x, [h, w]);
    if (m.shape[1] !== h || m.shape[2] !== w) m = tf.image.resizeBilinear(m, [h, w]);
    return [tf.clipByValue(x, 0, 1), m];
  });
  const [g, v] = await Promise.all([grey.data(), heatT.data()]);
  tf.dispose([grey, heatT]);
  let [lo, hi] = opts.range ?? [Infinity, -Infinity];
  if (!opts.range) {
    for (const value of v) {
      if (!Number.isFinite(value)) continue;
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const opacity = opts.opacity ?? 0.75;
  return indices.map((i, k) => {
    const rgba = new Uint8ClampedArray(h * w * 4);
    const baseLayer = new Uint8ClampedArray(h * w * 4);
    const heatLayer = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      const at = k * h * w + p;
      const t = Math.min(1, Math.max(0, (v[at]! - lo) / span));
      const a = opacity * t;
      const [R, G, B] = heat(t);
      const y = g[at]!;
      rgba[p * 4] = ((1 - a) * y + a * R) * 255;
      rgba[p * 4 + 1] = ((1 - a) * y + a * G) * 255;
      rgba[p * 4 + 2] = ((1 - a) * y + a * B) * 255;
      rgba[p * 4 + 3] = 255;
      baseLayer.fill(y * 255, p * 4, p * 4 + 3);
      baseLayer[p * 4 + 3] = 255;
      heatLayer[p * 4] = R * 255;
      heatLayer[p * 4 + 1] = G * 255;
      heatLayer[p * 4 + 2] = B * 255;
      heatLayer[p * 4 + 3] = t * 255;
    }
    return {
      name: names[i] ?? `#${i}`,
      label: labels[i] ?? -1,
      width: w,
      height: h,
      rgba,
      layers: { base: baseLayer, heat: heatLayer },
      ...(opts.captions?.[k] !== undefined ? { caption: opts.captions[k] } : {}),
    };
  });
}
