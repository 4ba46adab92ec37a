/**
 * Peak TF.js tensor memory (the maximum of tf.memory().numBytes) while an async function runs, for the backend
 * benchmarks. tf.profile reports the same peak but reads every kernel's output back (dataSync) to time it, which
 * would distort the timing it is meant to accompany; counting at tensor creation costs one comparison per tensor.
 */
import * as tf from '@tensorflow/tfjs';

type TrackingEngine = { trackTensor(t: tf.Tensor, backend: unknown): void; state: { numBytes: number } };

/** Runs `fn`; returns its result and the highest tf.memory().numBytes seen while it ran (at least the start value). */
export async function withPeakTfBytes<T>(fn: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  const engine = tf.engine() as unknown as TrackingEngine;
  const original = engine.trackTensor;
  let peakBytes = engine.state.numBytes;
  // numBytes only grows when a tensor is tracked, so checking right after each trackTensor sees every peak.
  engine.trackTensor = function (this: TrackingEngine, t, backend) {
    original.call(this, t, backend);
    if (this.state.numBytes > peakBytes) peakBytes = this.state.numBytes;
  };
  try {
    const result = await fn();
    return { result, peakBytes };
  } finally {
    engine.trackTensor = original;
  }
}
