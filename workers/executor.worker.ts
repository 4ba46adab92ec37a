/**
 * The browser's engine: a dedicated module worker exposing `api` via comlink. All TF.js work happens here, so
 * the page never freezes while training. The UI creates it in app/_editor/executor-client.ts and imports only
 * `type ExecutorApi`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as Comlink from 'comlink';
import type { PipelineDoc } from '../graph-nodes/core/pipeline-schema';
import { BROWSER_ORDER, initBackend } from './engine/backend';
import { type BenchCase, runBenchCase } from './engine/bench-cases';
import { createMemoryIO } from './engine/browser-io';
import type { BackendInfo, RunEvent } from './engine/events';
import { LastRun, type LastRunInfo } from './engine/run-results';
import type { InspectPage, InspectRequest } from './engine/inspect';
import { EngineSession, type MemoryInfo, type RunSummary } from './engine/session';

export type { MemoryInfo, RunSummary } from './engine/session';
export type { LastRunInfo } from './engine/run-results';
export type BenchmarkResult = { backend: string; ms?: number; perSecond?: number; peakTfBytes?: number; error?: string };

const files = new Map<string, Blob>();
const session = new EngineSession(createMemoryIO(files), 'none');
let backendInfo: BackendInfo | null = null;
let requestedBackend: string | null | undefined;
/** The last finished run, for downloads (scores, detector, manifest); null before the first. */
let lastRun: LastRun | null = null;

const api = {
  /** Initialise (or switch) the TF.js backend; `backend` null = automatic choice. */
  async init(opts: { backend?: string | null; wasmPath: string }): Promise<BackendInfo> {
    if (backendInfo && requestedBackend === (opts.backend ?? null)) return backendInfo;
    // Threaded wasm hangs in a bundled module worker; the .wasm files are served by the app itself.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(opts.wasmPath);
    if (backendInfo) session.clearCache(); // tensors of one backend are not moved to another
    requestedBackend = opts.backend ?? null;
    backendInfo = await initBackend(requestedBackend, BROWSER_ORDER);
    session.backend = backendInfo.name;
    return backendInfo;
  },

  async run(doc: PipelineDoc, onEvent: (e: RunEvent) => void): Promise<RunSummary> {
    if (!backendInfo) await api.init({ backend: null, wasmPath: '/tfjs-wasm/' });
    const { summary, result } = await session.run(doc, onEvent);
    lastRun = result ? new LastRun(doc, summary, result, session.cache) : null;
    return summary;
  },

  cancel(): void {
    session.cancel();
  },

  /** Register user-picked files (keys: relative paths such as chest_xray/train/NORMAL/a.jpeg). */
  async addFiles(list: { path: string; blob: Blob }[]): Promise<{ roots: string[]; count: number }> {
    for (const { path, blob } of list) files.set(path.replace(/^\/+/, ''), blob);
    // The IO indexes its file map when created: rebuild it so the new files are visible.
    session.io = createMemoryIO(files);
    const roots = [...new Set(list.map(({ path }) => path.replace(/^\/+/, '').split('/')[0]!))];
    return { roots, count: files.size };
  },

  /** Facts of the last run (document, metrics, data manifest, detector-capable nodes); null before the first. */
  async lastRunInfo(): Promise<LastRunInfo | null> {
    return lastRun ? lastRun.info() : null;
  },

  /** scores.csv of the last run: image, label, one column per scorer. */
  async scoresCsv(): Promise<string> {
    if (!lastRun) throw new Error('Run the pipeline first.');
    return lastRun.scoresCsv();
  },

  /** The trained detector of scorer node `nodeId` as files (workers/engine/detector-schema.ts). */
  async exportDetector(nodeId: string): Promise<Record<string, Uint8Array>> {
    if (!lastRun) throw new Error('Run the pipeline first.');
    return lastRun.detector(nodeId);
  },

  /** A page of a node's images ranked by its scores, with thumbnails of the images around it (the inspector). */
  async inspect(req: InspectRequest): Promise<InspectPage> {
    if (!lastRun) throw new Error('Run the pipeline first: the inspector shows the results of the last run.');
    return lastRun.inspect(req);
  },

  async clearCache(): Promise<MemoryInfo> {
    return session.clearCache();
  },

  async memory(): Promise<MemoryInfo> {
    return session.memory();
  },

  /**
   * `npm run bench:browser`: switch to `backend` and run one case of engine/bench-cases.ts. `modelUrl` is the
   * absolute URL of a MobileNetV2 model.json (mobilenet224, padim1000). Clears the cache (tensors do not move
   * between backends). The driver runs each case in a fresh browser and closes it at its time limit.
   */
  async benchmark(opts: { backend: string; case: BenchCase; repeats: number; modelUrl?: string }): Promise<BenchmarkResult> {
    session.clearCache();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const info = await initBackend(opts.backend, BROWSER_ORDER, { probe: false });
    backendInfo = info;
    requestedBackend = opts.backend;
    session.backend = info.name;
    if (info.name !== opts.backend) return { backend: opts.backend, error: `unavailable (${info.tried[0]?.error ?? 'failed'})` };
    try {
      const model = opts.modelUrl ? { path: opts.modelUrl, source: opts.modelUrl } : undefined;
      return { backend: info.name, ...(await runBenchCase(opts.case, { repeats: opts.repeats, session, model })) };
    } catch (err) {
      return { backend: info.name, error: err instanceof Error ? err.message : String(err) };
    }
  },
};

export type ExecutorApi = typeof api;

Comlink.expose(api);
