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
