/**
 * TF.js backend selection, done once per worker/process. Unless one is requested, every backend that can start
 * (browser: webgpu, webgl, wasm, cpu; Node: wasm, cpu) runs a short training probe and the fastest wins; the
 * active backend and the reason (probe times) are reported to the UI and the CLI.
 * `tf.setBackend` resolves false when initialisation fails and throws when the backend is not registered;
 * both count as "not available".
 *
 * The wasm backend lacks some training kernels (e.g. Conv2DBackpropFilter). `registerWasmFallbacks` registers,
 * for each kernel the cpu backend has and wasm lacks, a wasm kernel that copies its inputs to the cpu backend,
 * runs the cpu kernel and copies the result back — correct, though the delegated ops run at cpu speed.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from './events';
import { registerWasmTrainingKernels } from './wasm-training-kernels';

export const BROWSER_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
// In Node, wasm (with the training kernels of wasm-training-kernels.ts) trains ~40× faster than the pure-JS cpu backend.
export const NODE_ORDER = ['wasm', 'cpu'] as const;

export async function initBackend(
  requested: string | null | undefined,
  order: readonly string[],
  opts: { probe?: boolean } = {},
): Promise<BackendInfo> {
  if (!requested && opts.probe !== false) return chooseByProbe(order);
  const tried: BackendInfo['tried'] = [];
  const candidates = requested ? [requested] : order;
  for (const name of candidates) {
    const error = await trySetBackend(name);
    tried.push(error ? { name, ok: false, error } : { name, ok: true });
    if (!error) {
      const reason = requested ? `requested (${name})` : tried.length === 1 ? `first available of ${order.join(' → ')}` : `${tried.filter((t) => !t.ok).map((t) => t.name).join(', ')} unavailable`;
      return { name, reason, tried };
    }
  }
  if (requested) {
    // A requested backend that cannot start falls back to the automatic choice, saying so.
    const info = await initBackend(null, order.filter((n) => n !== requested), opts);
    return { ...info, reason: `${requested} unavailable (${tried[0]?.error ?? 'failed'}); ${info.reason}`, tried: [...tried, ...info.tried] };
  }
  throw new Error(`no TF.js backend could be initialised: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}

/** Switch to a backend; returns an error message, or null on success. */
async function trySetBackend(name: string): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return 'initialisation failed';
    await tf.ready();
    if (name === 'wasm') {
      registerWasmTrainingKernels();
      registerWasmFallbacks();
    }
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Capability plus a measured probe: initialise every backend that can start, time one small training step
 * (conv + transposed conv, forward and backward) on each, and keep the fastest.
 */
async function chooseByProbe(order: readonly string[]): Promise<BackendInfo> {
  const tried: BackendInfo['tried'] = [];
  for (const name of order) {
    const error = await trySetBackend(name);
    if (error) {
      tried.push({ name, ok: false, error });
      continue;
    }
    try {
      tried.push({ name, ok: true, probeMs: await probeTrainingStep() });
    } catch (err) {
      tried.push({ name, ok: false, error: `probe failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const working = tried.filter((t) => t.ok && t.probeMs !== undefined).sort((a, b) => a.probeMs! - b.probeMs!);
  const best = working[0];
  if (!best || (await trySetBackend(best.name))) {
    throw new Error(`no TF.js backend could be initialised: ${tried.map((t) => `${t.name}: ${t.error ?? 'probe failed'}`).join('; ')}`);
  }
  const others = working.slice(1).map((t) => `${t.name} ${t.probeMs!.toFixed(0)} ms`);
  const unavailable = tried.filter((t) => !t.ok).map((t) => t.name);
  const reason =
    `fastest training probe: ${best.probeMs!.toFixed(0)} ms/step` +
    (others.length ? ` (vs ${others.join(', ')})` : '') +
    (unavailable.length ? `; unavailable: ${unavailable.join(', ')}` : '');
  return { name: best.name, reason, tried };
}

/** Milliseconds for one small conv-autoencoder-like training step, after one warm-up step. */
export async function probeTrainingStep(): Promise<number> {
  const step = () =>
    tf.tidy(() => {
      const x = tf.ones([4, 32, 32, 1]);
      const w1 = tf.fill([3, 3, 1, 8], 0.1);
      const w2 = tf.fill([3, 3, 1, 8], 0.1);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const h = tf.relu(tf.conv2d(x as tf.Tensor4D, a as tf.Tensor4D, 2, 'same'));
        const y = tf.conv2dTranspose(h, b as tf.Tensor4D, [4, 32, 32, 1], 2, 'same');
        return tf.mean(tf.square(tf.sub(y, x)));
      })([w1, w2]);
      return tf.addN(g.map((t) => tf.sum(t)));
    });
  const warm = step();
  await warm.data();
  warm.dispose();
  const t0 = performance.now();
  const t = step();
  await t.data();
  t.dispose();
  return performance.now() - t0;
}

type AnyBackend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
};

let wasmFallbacksRegistered = false;

/** Names of the kernels delegated from wasm to cpu (empty until registerWasmFallbacks ran). */
export const wasmDelegatedKernels: string[] = [];

export function registerWasmFallbacks(): void {
  if (wasmFallbacksRegistered) return;
  wasmFallbacksRegistered = true;
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (tf.getKernel(config.kernelName, 'wasm')) continue;
    const cpuKernel = config.kernelFunc;
    tf.registerKernel({
      kernelName: config.kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const wasm = backend as unknown as AnyBackend;
        const cpu = tf.findBackend('cpu') as unknown as AnyBackend & tf.KernelBackend;
        const cpuInputs: Record<string, tf.TensorInfo> = {};
        for (const [name, info] of Object.entries(inputs)) {
          if (!info) continue;
          cpuInputs[name] = cpu.makeTensorInfo!(info.shape, info.dtype, wasm.readSync(info.dataId));
        }
        try {
          const out = cpuKernel({ inputs: cpuInputs, backend: cpu, attrs: attrs ?? {} }) as tf.TensorInfo | tf.TensorInfo[];
          const outs = Array.isArray(out) ? out : [out];
          const converted = outs.map((o) => {
            const values = cpu.readSync(o.dataId);
            cpu.disposeData(o.dataId);
            return wasm.makeOutput!(o.shape, o.dtype, undefined, values);
          });
          return Array.isArray(out) ? converted : converted[0]!;
        } finally {
          for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId);
        }
      },
    });
    wasmDelegatedKernels.push(config.kernelName);
  }
}
