/**
 * Training kernels for the TF.js wasm backend, built from JS patch gathering plus the backend's own BatchMatMul.
 * - Conv2DBackpropFilter (missing in tfjs-backend-wasm): dW = colsᵀ · dy, with cols = im2col(x) of shape
 *   [rows = N·outH·outW, K = kh·kw·inC]. We build colsᵀ [K, rows] directly so the matmul needs no transpose;
 *   with fewer than 8 output channels dW is accumulated directly (no patch matrix).
 * - Conv2DBackpropInput (present, but a slow direct loop): dcols = dy · Wᵀ ([rows, K]), then col2im scatter-adds
 *   dcols into dx. This is also the forward pass of conv2dTranspose (the AutoEncoder's decoder).
 * Rows are processed in chunks so the patch matrix stays ~16 MB whatever the batch size.
 * Shapes: x [N,H,W,inC], W [kh,kw,inC,outC], dy [N,outH,outW,outC]. Checked against cpu in wasm-kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs';

type WasmBackend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
};

type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

const CHUNK_ELEMENTS = 1 << 22;

/** Per output row r (= n, oy, ox): batch index and the top-left input coordinate of its receptive field. */
function rowOrigins(conv: tf.backend_util.Conv2DInfo, start: number, count: number) {
  const { outHeight, outWidth, strideHeight, strideWidth } = conv;
  const b = new Int32Array(count);
  const iy0 = new Int32Array(count);
  const ix0 = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const row = start + r;
    const ox = row % outWidth;
    const oy = Math.floor(row / outWidth) % outHeight;
    b[r] = Math.floor(row / (outWidth * outHeight));
    iy0[r] = oy * strideHeight - conv.padInfo.top;
    ix0[r] = ox * strideWidth - conv.padInfo.left;
  }
  return { b, iy0, ix0 };
}

/**
 * Transposed patch matrix for rows [start, start+count): out[k·count + r] = x at the input pixel that filter tap
 * k = (ky, kx, c) sees for row r, or 0 in the padding.
 */
export function im2colTransposed(x: Float32Array, conv: tf.backend_util.Conv2DInfo, start: number, count: number): Float32Array {
  const { inHeight: h, inWidth: w, inChannels: c, filterHeight, filterWidth, dilationHeight, dilationWidth } = conv;
  const { b, iy0, ix0 } = rowOrigins(conv, start, count);
  const out = new Float32Array(filterHeight * filterWidth * c * count);
  for (let ky = 0; ky < filterHeight; ky++) {
    for (let kx = 0; kx < filterWidth; kx++) {
      for (let ci = 0; ci < c; ci++) {
        const base = ((ky * filterWidth + kx) * c + ci) * count;
        for (let r = 0; r < count; r++) {
          const iy = iy0[r]! + ky * dilationHeight;
          const ix = ix0[r]! + kx * dilationWidth;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) out[base + r] = x[((b[r]! * h + iy) * w + ix) * c + ci]!;
        }
      }
    }
  }
  return out;
}

/** Scatter-add patch gradients dcols [count, K] for rows [start, start+count) into dx [N,H,W,inC]. */
export function col2imAdd(dcols: Float32Array, conv: tf.backend_util.Conv2DInfo, start: number, count: number, dx: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, filterHeight, filterWidth, dilationHeight, dilationWidth } = conv;
  const k = filterHeight * filterWidth * c;
  const { b, iy0, ix0 } = rowOrigins(conv, start, count);
  for (let r = 0; r < count; r++) {
    const rowBase = r * k;
    for (let ky = 0; ky < filterHeight; ky++) {
      const iy = iy0[r]! + ky * dilationHeight;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < filterWidth; kx++) {
        const ix = ix0[r]! + kx * dilationWidth;
        if (ix < 0 || ix >= w) continue;
        const src = rowBase + (ky * filterWidth + kx) * c;
        const dst = ((b[r]! * h + iy) * w + ix) * c;
        for (let ci = 0; ci < c; ci++) dx[dst + ci]! += dcols[src + ci]!;
      }
    }
  }
}

/**
 * dW for few output channels, accumulated straight from x and dy without building the patch matrix:
 * dW[k, o] += x(patch r, tap k) · dy[r, o]. For outC < 8 this beats im2col + matmul (which would move a
 * rows × K matrix for a rows × K × outC product).
 */
export function filterGradDirect(x: Float32Array, dy: Float32Array, conv: tf.backend_util.Conv2DInfo, outC: number): Float32Array {
  const { inHeight: h, inWidth: w, inChannels: c, filterHeight, filterWidth, dilationHeight, dilationWidth } = conv;
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const dw = new Float64Array(filterHeight * filterWidth * c * outC);
  const { b, iy0, ix0 } = rowOrigins(conv, 0, rows);
  for (let r = 0; r < rows; r++) {
    const dyBase = r * outC;
    for (let ky = 0; ky < filterHeight; ky++) {
      const iy = iy0[r]! + ky * dilationHeight;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < filterWidth; kx++) {
        const ix = ix0[r]! + kx * dilationWidth;
        if (ix < 0 || ix >= w) continue;
        const src = ((b[r]! * h + iy) * w + ix) * c;
        const dst = (ky * filterWidth + kx) * c * outC;
        for (let ci = 0; ci < c; ci++) {
          const xv = x[src + ci]!;
          if (xv === 0) continue; // ReLU activations are often exactly 0
          const base = dst + ci * outC;
          for (let o = 0; o < outC; o++) dw[base + o]! += xv * dy[dyBase + o]!;
        }
      }
    }
  }
  return Float32Array.from(dw);
}

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs) {
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm conv gradients support NHWC only');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const batchMatMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;

  /** [1,m,k] · [1,k,n] on the wasm backend; returns the values and frees everything. */
  const matmul = (wasm: WasmBackend, backend: unknown, a: Float32Array, aShape: number[], b: Float32Array, bShape: number[]) => {
    const ta = wasm.makeOutput(aShape, 'float32', undefined, a);
    const tb = wasm.makeOutput(bShape, 'float32', undefined, b);
    try {
      const r = batchMatMul({ inputs: { a: ta, b: tb }, backend: backend as tf.KernelBackend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
      const values = wasm.readSync(r.dataId) as Float32Array;
      wasm.disposeData(r.dataId);
      return values;
    } finally {
      wasm.disposeData(ta.dataId);
      wasm.disposeData(tb.dataId);
    }
  };

  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
      const conv = convInfo(x.shape, a.filterShape, a);
      const [kh, kw, inC, outC] = a.filterShape;
      const k = kh * kw * inC;
      const rows = conv.batchSize * conv.outHeight * conv.outWidth;
      const xv = wasm.readSync(x.dataId) as Float32Array;
      const dyv = wasm.readSync(dy.dataId) as Float32Array;
      if (outC < 8) return wasm.makeOutput(a.filterShape, 'float32', undefined, filterGradDirect(xv, dyv, conv, outC));
      const chunk = Math.max(1, Math.floor(CHUNK_ELEMENTS / k));
      const dw = new Float32Array(k * outC);
      for (let start = 0; start < rows; start += chunk) {
        const count = Math.min(chunk, rows - start);
        const part = matmul(wasm, backend, im2colTransposed(xv, conv, start, count), [1, k, count], dyv.subarray(start * outC, (start + count) * outC), [1, count, outC]);
        for (let i = 0; i < dw.length; i++) dw[i]! += part[i]!;
      }
      return wasm.makeOutput(a.filterShape, 'float32', undefined, dw);
    },
  });

  // Replaces the backend's own direct-loop version, which stays in use where the matmul is degenerate (outC < 8).
  const direct = (tf.getKernel('Conv2DBackpropInput', 'wasm') as tf.KernelConfig | undefined)?.kernelFunc;
  if (direct !== undefined) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
      const conv = convInfo(a.inputShape, filter.shape, a);
      const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
      if (direct !== undefined && outC < 8) return direct({ inputs, backend, attrs });
      const k = kh * kw * inC;
      const rows = conv.batchSize * conv.outHeight * conv.outWidth;
      const dyv = wasm.readSync(dy.dataId) as Float32Array;
      // Wᵀ as [outC, K], transposed here once: the backend's BatchMatMul is much slower with transposeB.
      const wv = wasm.readSync(filter.dataId) as Float32Array;
      const wt = new Float32Array(k * outC);
      for (let i = 0; i < k; i++) for (let o = 0; o < outC; o++) wt[o * k + i] = wv[i * outC + o]!;
      const dx = new Float32Array(a.inputShape.reduce((p, q) => p * q, 1));
      const chunk = Math.max(1, Math.floor(CHUNK_ELEMENTS / k));
      for (let start = 0; start < rows; start += chunk) {
        const count = Math.min(chunk, rows - start);
        const dcols = matmul(wasm, backend, dyv.subarray(start * outC, (start + count) * outC), [1, count, outC], wt, [1, outC, k]);
        col2imAdd(dcols, conv, start, count, dx);
      }
      return wasm.makeOutput(a.inputShape, 'float32', undefined, dx);
    },
  });
}
