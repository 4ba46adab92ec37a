/**
 * Benchmark cases shared by `npm run bench:backends` in Node (bench/backend-case.ts) and in Chromium (the worker's
 * `benchmark` call driven by bench/browser-backends.ts), so both measure the same thing.
 */
import * as tf from '@tensorflow/tfjs';
import { buildAutoEncoder } from '../../graph-nodes/autoencoder/model';

/** The lecture AutoEncoder: 16,32,64,128,256,256 stride-2 convs → 4×4×256 code at 256 px. */
export const LECTURE_CHANNELS = [16, 32, 64, 128, 256, 256];

/** Mean milliseconds per call after one warm-up call (kernel compilation, allocations). */
export async function timeIt(run: () => Promise<void>, repeats: number): Promise<number> {
  await run();
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) await run();
  return (performance.now() - t0) / repeats;
}

/** One Adam training step of the lecture AutoEncoder on a [batch,size,size,1] batch; returns ms per step. */
export async function timeAutoencoderStep(size: number, batch: number, repeats: number): Promise<number> {
  const { autoencoder } = buildAutoEncoder({ inputShape: [size, size, 1], channels: LECTURE_CHANNELS, codeChannels: 256, seed: 0 });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 1);
  try {
    return await timeIt(async () => {
      const loss = tf.tidy(() => optimizer.minimize(() => tf.mean(tf.square(tf.sub(x, autoencoder.apply(x) as tf.Tensor))), true)!);
      await loss.data();
      loss.dispose();
    }, repeats);
  } finally {
    x.dispose();
    optimizer.dispose();
    autoencoder.dispose();
  }
}

/** One forward pass (inference) of the lecture AutoEncoder on a [batch,size,size,1] batch; returns ms. */
export async function timeAutoencoderForward(size: number, batch: number, repeats: number): Promise<number> {
  const { autoencoder } = buildAutoEncoder({ inputShape: [size, size, 1], channels: LECTURE_CHANNELS, codeChannels: 256, seed: 0 });
  const x = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 1);
  try {
    return await timeIt(async () => {
      const y = autoencoder.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    }, repeats);
  } finally {
    x.dispose();
    autoencoder.dispose();
  }
}
