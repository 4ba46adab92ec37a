/**
 * Training kernels the TF.js wasm backend lacks, made from kernels it has.
 * Conv2DBackpropFilter: dW = im2col(x)ᵀ · dy, where im2col(x) is [N·outH·outW, kh·kw·inC] (patches built in JS
 * with the conv's own strides/padding, then one wasm BatchMatMul). Shapes: x [N,H,W,inC], dy [N,outH,outW,outC]
 * → dW [kh,kw,inC,outC]. Checked against the cpu backend in tests/unit/engine/wasm-kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs';

type WasmBackend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
};

/** Patch matrix of a conv: row r = (n, oy, ox), column k = (ky, kx, c); zero outside the image (padding). */
export function im2col(x: Float32Array, xShape: number[], conv: tf.backend_util.Conv2DInfo): Float32Array {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const { outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = conv;
  const { top, left } = conv.padInfo;
  const k = filterHeight * filterWidth * c;
  const out = new Float32Array(n * outHeight * outWidth * k);
  let row = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        const rowBase = row * k;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * strideHeight - top + ky * dilationHeight;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * strideWidth - left + kx * dilationWidth;
            if (ix < 0 || ix >= w) continue;
            const src = ((b * h + iy) * w + ix) * c;
            out.set(x.subarray(src, src + c), rowBase + (ky * filterWidth + kx) * c);
          }
        }
      }
    }
  }
  return out;
}

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const batchMatMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
      const conv = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const [kh, kw, inC, outC] = filterShape;
      const k = kh * kw * inC;
      const rows = conv.batchSize * conv.outHeight * conv.outWidth;
      const patches = wasm.makeOutput([1, rows, k], 'float32', undefined, im2col(wasm.readSync(x.dataId) as Float32Array, x.shape, conv));
      // dy shares its data with a [1, rows, outC] view: same bytes, new shape.
      const dyView = wasm.makeOutput([1, rows, outC], 'float32', undefined, wasm.readSync(dy.dataId));
      try {
        const dw = batchMatMul({
          inputs: { a: patches, b: dyView },
          backend,
          attrs: { transposeA: true, transposeB: false },
        }) as tf.TensorInfo;
        return { dataId: dw.dataId, shape: [kh, kw, inC, outC], dtype: 'float32' };
      } finally {
        wasm.disposeData(patches.dataId);
        wasm.disposeData(dyView.dataId);
      }
    },
  });
}
