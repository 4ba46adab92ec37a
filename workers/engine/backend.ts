/**
 * TF.js backend selection, done once per worker/process: try backends in order (browser: webgpu → webgl → wasm
 * → cpu; Node: cpu, wasm) unless one is requested, and report which one is active and why.
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

export async function initBackend(requested: string | null | undefined, order: readonly string[]): Promise<BackendInfo> {
  const tried: BackendInfo['tried'] = [];
  const candidates = requested ? [requested] : order;
  for (const name of candidates) {
    try {
      const ok = await tf.setBackend(name);
      if (ok) {
        await tf.ready();
        if (name === 'wasm') {
          registerWasmTrainingKernels();
          registerWasmFallbacks();
        }
        tried.push({ name, ok: true });
        const reason = requested ? `requested (${name})` : tried.length === 1 ? `first available of ${order.join(' → ')}` : `${tried.filter((t) => !t.ok).map((t) => t.name).join(', ')} unavailable`;
        return { name, reason, tried };
      }
      tried.push({ name, ok: false, error: 'initialisation failed' });
    } catch (err) {
      tried.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (requested) {
    // A requested backend that cannot start falls back to the default order, saying so.
    const info = await initBackend(null, order.filter((n) => n !== requested));
    return { ...info, reason: `${requested} unavailable (${tried[0]?.error ?? 'failed'}); ${info.reason}`, tried: [...tried, ...info.tried] };
  }
  throw new Error(`no TF.js backend could be initialised: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
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
