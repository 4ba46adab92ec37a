/**
 * Structural similarity (SSIM; Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment: from error visibility
 * to structural similarity", IEEE TIP 2004): local means, variances and covariance under an 11×11 Gaussian window
 * (σ = 1.5, 'valid' positions only), C1 = (0.01·L)², C2 = (0.03·L)² with data range L = 1, per channel.
 * Shapes: x, y [N,H,W,C] → per-image mean SSIM [N]; `ssimLoss` = 1 − mean SSIM (a differentiable scalar, built
 * from conv2d only, so its gradient runs on every backend). (File named *-kernel: it imports tfjs.)
 */
import * as tf from '@tensorflow/tfjs';

export const SSIM_C1 = 0.01 ** 2;
export const SSIM_C2 = 0.03 ** 2;

/**
 * Normalised 1-D Gaussian taps of the SSIM window: `size` taps (odd), σ = 1.5. The 2-D window is their outer
 * product, which equals the normalised 11×11 Gaussian of the paper.
 */
export function ssimWindowTaps(size = 11, sigma = 1.5): number[] {
  const r = (size - 1) / 2;
  const taps = Array.from({ length: size }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** Window side used for images of side h×w: 11, or the largest odd size that fits in images smaller than 11. */
export function ssimWindowSize(h: number, w: number): number {
  const m = Math.min(11, h, w);
  return m % 2 === 1 ? m : m - 1;
}

/**
 * SSIM map [N,h',w',C] with h' = H − k + 1 (valid window positions, k = window side).
 * @throws Error when x and y differ in shape.
 */
export function ssimMap(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  if (x.shape.join() !== y.shape.join()) throw new Error(`SSIM needs images of the same shape, got ${x.shape.join('×')} and ${y.shape.join('×')}`);
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const k = ssimWindowSize(h, w);
    const taps = ssimWindowTaps(k);
    const ky = tf.tensor4d(taps, [k, 1, 1, 1]);
    const kx = tf.tensor4d(taps, [1, k, 1, 1]);
    // Channels into the batch ([N,H,W,C] → [N·C,H,W,1]) so that a plain single-channel conv2d filters each one;
    // the five local statistics share one separable convolution pass.
    const planes = (t: tf.Tensor4D) => (c === 1 ? t : tf.reshape(tf.transpose(t, [0, 3, 1, 2]), [n * c, h, w, 1]));
    const px = planes(x);
    const py = planes(y);
    const stacked = tf.concat([px, py, tf.mul(px, px), tf.mul(py, py), tf.mul(px, py)], 0) as tf.Tensor4D;
    const filtered = tf.conv2d(tf.conv2d(stacked, ky, 1, 'valid'), kx, 1, 'valid');
    const [muX, muY, exx, eyy, exy] = tf.split(filtered, 5, 0) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const muXY = tf.mul(muX, muY);
    const muX2 = tf.square(muX);
    const muY2 = tf.square(muY);
    const varX = tf.sub(exx, muX2);
    const varY = tf.sub(eyy, muY2);
    const cov = tf.sub(exy, muXY);
    const num = tf.mul(tf.add(tf.mul(2, muXY), SSIM_C1), tf.add(tf.mul(2, cov), SSIM_C2));
    const den = tf.mul(tf.add(tf.add(muX2, muY2), SSIM_C1), tf.add(tf.add(varX, varY), SSIM_C2));
    const map = tf.div(num, den) as tf.Tensor4D;
    const [, hh, ww] = map.shape;
    return c === 1 ? map : (tf.transpose(tf.reshape(map, [n, c, hh, ww]), [0, 2, 3, 1]) as tf.Tensor4D);
  });
}

/** Mean SSIM of each image pair (over window positions and channels): [N]. 1 = identical. */
export function ssim(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const map = ssimMap(x, y);
    return tf.mean(tf.reshape(map, [map.shape[0], -1]), 1) as tf.Tensor1D;
  });
}

/** Loss 1 − mean SSIM over the batch: 0 for a perfect reconstruction; differentiable with respect to both inputs. */
export function ssimLoss(x: tf.Tensor4D, y: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.sub(1, tf.mean(ssimMap(x, y))) as tf.Scalar);
}
