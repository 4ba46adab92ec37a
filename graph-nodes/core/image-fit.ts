/**
 * Kernel-side helper: adapt an image batch [N,H,W,C] to a network's input shape [h,w,c] — bilinear resize to
 * h×w, grey → RGB by repeating the channel, RGB → grey by the channel mean. Returns a new tensor (a clone when
 * nothing changes); the caller disposes it.
 */
import * as tf from '@tensorflow/tfjs';

export function fitToInput(images: tf.Tensor4D, inputShape: readonly [number, number, number]): tf.Tensor4D {
  const [h, w, c] = inputShape;
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    if (x.shape[1] !== h || x.shape[2] !== w) x = tf.image.resizeBilinear(x, [h, w]);
    const have = x.shape[3];
    if (have !== c) {
      if (have === 1) x = tf.tile(x, [1, 1, 1, c]);
      else if (c === 1) x = tf.mean(x, 3, true) as tf.Tensor4D;
      else throw new Error(`cannot map ${have} image channels to the ${c} channels the network expects`);
    }
    return x === images ? images.clone() : x;
  });
}
