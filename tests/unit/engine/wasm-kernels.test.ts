/**
 * wasm training kernels against the cpu backend on random inputs: strides, padding, shapes.
 * Switches the global backend, so it restores cpu afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../graph-nodes/core/random';
import { initBackend, wasmDelegatedKernels } from '../../../workers/engine/backend';

const rand = (shape: number[], seed: number) => {
  const r = createRng(seed);
  return { values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()), shape };
};

async function on<T>(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = f();
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

function maxRelErr(a: Float32Array, b: Float32Array) {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
  return err / scale;
}

beforeAll(async () => {
  await initBackend('wasm', ['cpu']);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasm conv training kernels', () => {
  const cases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['3×3 stride 1 same', [2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
    ['3×3 stride 2 same', [3, 8, 8, 2], [3, 3, 2, 5], 2, 'same'],
    ['3×3 stride 2 same, wide', [2, 8, 8, 8], [3, 3, 8, 16], 2, 'same'],
    ['3×3 stride 2 valid, odd size', [2, 9, 9, 4], [3, 3, 4, 3], 2, 'valid'],
    ['5×5 stride 1 valid', [1, 10, 10, 1], [5, 5, 1, 2], 1, 'valid'],
    ['1×1 stride 1', [2, 4, 4, 6], [1, 1, 6, 3], 1, 'same'],
  ];
  it.each(cases)('%s matches cpu within 1e-4 relative', async (_name, xShape, fShape, stride, pad) => {
    const x = rand(xShape, 1);
    const f = rand(fShape, 2);
    const grad = () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(x.values, x.shape as [number, number, number, number]);
        const ft = tf.tensor4d(f.values, f.shape as [number, number, number, number]);
        // d/dW Σ conv(x, W)·g for a fixed g exercises Conv2DBackpropFilter with dy = g.
        return tf.grad((w: tf.Tensor) => {
          const y = tf.conv2d(xt, w as tf.Tensor4D, stride, pad);
          return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
        })(ft);
      });
    const onWasm = await on('wasm', grad);
    const onCpu = await on('cpu', grad);
    expect(onWasm.length).toBe(onCpu.length);
    expect(maxRelErr(onWasm, onCpu)).toBeLessThan(1e-4);
  });

  it.each(cases)('Conv2DBackpropInput, %s: conv input gradient and conv2dTranspose match cpu', async (_name, xShape, fShape, stride, pad) => {
    const x = rand(xShape, 5);
    const f = rand(fShape, 6);
    const gradX = () =>
      tf.tidy(() => {
        const ft = tf.tensor4d(f.values, f.shape as [number, number, number, number]);
        return tf.grad((xt: tf.Tensor) => {
          const y = tf.conv2d(xt as tf.Tensor4D, ft, stride, pad);
          return tf.sum(tf.mul(y, tf.cos(tf.range(0, y.size).reshape(y.shape))));
        })(tf.tensor4d(x.values, x.shape as [number, number, number, number]));
      });
    expect(maxRelErr(await on('wasm', gradX), await on('cpu', gradX))).toBeLessThan(1e-4);
    // conv2dTranspose of a [N,outH,outW,outC] map back to x's shape runs Conv2DBackpropInput forward.
    const conv = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], fShape as [number, number, number, number], stride, 1, pad);
    const y = rand([xShape[0]!, conv.outHeight, conv.outWidth, fShape[3]!], 7);
    const transpose = () =>
      tf.conv2dTranspose(
        tf.tensor4d(y.values, y.shape as [number, number, number, number]),
        tf.tensor4d(f.values, f.shape as [number, number, number, number]),
        xShape as [number, number, number, number],
        stride,
        pad,
      );
    expect(maxRelErr(await on('wasm', transpose), await on('cpu', transpose))).toBeLessThan(1e-4);
  });

  it('is a native wasm kernel (not the slow cpu delegation) and leaks no tensors', async () => {
    expect(wasmDelegatedKernels).not.toContain('Conv2DBackpropFilter');
    expect(wasmDelegatedKernels).not.toContain('Conv2DBackpropInput');
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 6, 6, 2]) as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')))(tf.ones([3, 3, 2, 2]) as tf.Tensor4D));
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('delegated kernels (e.g. depthwise conv gradients) also match cpu', async () => {
    const x = rand([1, 6, 6, 3], 3);
    const f = rand([3, 3, 3, 2], 4);
    const grad = () =>
      tf.tidy(() =>
        tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(tf.tensor4d(x.values, [1, 6, 6, 3]), w as tf.Tensor4D, 1, 'same'))))(
          tf.tensor4d(f.values, [3, 3, 3, 2]),
        ),
      );
    expect(wasmDelegatedKernels).toContain('DepthwiseConv2dNativeBackpropFilter');
    expect(maxRelErr(await on('wasm', grad), await on('cpu', grad))).toBeLessThan(1e-4);
  });
});
