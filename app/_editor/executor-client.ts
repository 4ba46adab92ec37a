/**
 * The only place that creates the executor worker. Wraps the comlink API with what comlink leaves out:
 * - lazy creation on the client only (never during server rendering);
 * - Stop: cooperative cancel() first; if the run has not ended within STOP_GRACE_MS, terminate the worker,
 *   reject the pending run ourselves (terminate() does not reject comlink promises) and spawn a fresh one;
 * - a crashed worker (load error, uncaught error, out of memory) rejects what is pending instead of hanging
 *   forever, and the next call starts a fresh one (only the cache is lost; the document lives in the page);
 * - picked files are kept here and re-sent to a respawned worker, so a restart only loses the cache.
 */
import * as Comlink from 'comlink';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import type { BackendInfo, RunEvent } from '../../workers/engine/events';
import type { InspectPage, InspectRequest } from '../../workers/engine/inspect';
import type { ExecutorApi, LastRunInfo, MemoryInfo, RunSummary } from '../../workers/executor.worker';
import { t } from '../_i18n/translate';

export type { InspectPage, InspectRequest, LastRunInfo, MemoryInfo, RunSummary };
export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const backendChoices: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Where scripts/copy-wasm.mjs puts the tfjs-backend-wasm binaries (served from public/). */
const WASM_PATH = '/tfjs-wasm/';
/**
 * Stop asks the worker to cancel (kernels check between training steps); a step still running after this long —
 * one slow step on a software backend — is cut short by replacing the worker, so Stop always ends within a second.
 */
const STOP_GRACE_MS = 900;

export class WorkerRestartedError extends Error {
  constructor() {
    super('The worker was restarted; cached results were lost.');
    this.name = 'WorkerRestartedError';
  }
}

type Pending = { reject(err: unknown): void };
type PickedFile = { path: string; blob: Blob };

class ExecutorClient {
  private worker: Worker | null = null;
  private api: Comlink.Remote<ExecutorApi> | null = null;
  private ready: Promise<BackendInfo> | null = null;
  private backend: BackendChoice = 'auto';
  private files: PickedFile[] = [];
  private pending = new Set<Pending>();
  private running: Promise<unknown> | null = null;

  /** (Re)start the worker on the given backend; resolves with what the worker actually chose. */
  init(backend: BackendChoice): Promise<BackendInfo> {
    if (this.worker && backend === this.backend && this.ready) return this.ready;
    this.backend = backend;
    this.respawn();
    return this.ready as Promise<BackendInfo>;
  }

  async run(doc: PipelineDoc, onEvent: (e: RunEvent) => void): Promise<RunSummary> {
    const api = await this.ensure();
    const result = this.track(api.run(doc, Comlink.proxy(onEvent)));
    this.running = result.catch(() => undefined);
    try {
      return await result;
    } finally {
      this.running = null;
    }
  }

  /** Stop the current run. Resolves 'restarted' when the worker had to be killed (its cache is gone). */
  async stop(): Promise<'cancelled' | 'restarted' | 'idle'> {
    const running = this.running;
    if (!running || !this.api) return 'idle';
    void this.api.cancel();
    const ended = await Promise.race([
      running.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS)),
    ]);
    if (ended) return 'cancelled';
    this.respawn(new WorkerRestartedError());
    return 'restarted';
  }

  async addFiles(files: PickedFile[]): Promise<{ roots: string[]; count: number }> {
    const api = await this.ensure();
    const result = await this.track(api.addFiles(files));
    const added = new Set(files.map((f) => f.path));
    this.files = [...this.files.filter((f) => !added.has(f.path)), ...files];
    return result;
  }

  async inspect(req: InspectRequest): Promise<InspectPage> {
    return this.track((await this.ensure()).inspect(req));
  }

  async clearCache(): Promise<MemoryInfo> {
    return this.track((await this.ensure()).clearCache());
  }

  async memory(): Promise<MemoryInfo> {
    return this.track((await this.ensure()).memory());
  }

  /** The last run's document, metrics, data manifest and detector-capable nodes (null before the first run). */
  async lastRunInfo(): Promise<LastRunInfo | null> {
    return this.track((await this.ensure()).lastRunInfo());
  }

  async scoresCsv(): Promise<string> {
    return this.track((await this.ensure()).scoresCsv());
  }

  async exportDetector(nodeId: string): Promise<Record<string, Uint8Array>> {
    return this.track((await this.ensure()).exportDetector(nodeId));
  }

  /** Backend benchmark (bench/browser-backends.ts drives it through `window.kizukiBench` on `/?bench=1`). */
  async benchmark(opts: Parameters<ExecutorApi['benchmark']>[0]) {
    return this.track((await this.ensure()).benchmark(opts));
  }

  private async ensure(): Promise<Comlink.Remote<ExecutorApi>> {
    if (!this.worker) this.respawn();
    await this.ready;
    return this.api as Comlink.Remote<ExecutorApi>;
  }

  /** Remember a call so a terminate or crash can reject it. */
  private track<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { reject };
      this.pending.add(entry);
      p.then(resolve, reject).finally(() => this.pending.delete(entry));
    });
  }

  private failPending(err: unknown) {
    for (const p of this.pending) p.reject(err);
    this.pending.clear();
  }

  private respawn(reason: unknown = new Error(t('run.workerReplaced'))) {
    if (this.worker) {
      this.worker.terminate();
      this.api?.[Comlink.releaseProxy]();
      this.failPending(reason);
    }
    const worker = new Worker(new URL('../../workers/executor.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      if (this.worker !== worker) return;
      this.failPending(new Error(t('run.workerCrashed', { reason: ev.message || t('run.workerNotLoaded') })));
      // Drop the dead worker: the next call spawns a fresh one instead of waiting on this one forever.
      worker.terminate();
      this.api?.[Comlink.releaseProxy]();
      this.worker = null;
      this.api = null;
      this.ready = null;
    });
    const api = Comlink.wrap<ExecutorApi>(worker);
    this.worker = worker;
    this.api = api;
    const backend = this.backend === 'auto' ? null : this.backend;
    const files = this.files;
    this.ready = this.track(
      api.init({ backend, wasmPath: WASM_PATH }).then(async (info) => {
        if (files.length > 0) await api.addFiles(files);
        return info;
      }),
    );
  }
}

let client: ExecutorClient | null = null;

/** The executor, created on first use (call only from effects and event handlers, never during render). */
export function executor(): ExecutorClient {
  if (typeof window === 'undefined') throw new Error('the executor runs in the browser only');
  client ??= new ExecutorClient();
  return client;
}

// `/?bench=1` exposes the worker's benchmark call to the browser benchmark script (and nothing else).
if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('bench')) {
  (window as unknown as { kizukiBench: ExecutorClient['benchmark'] }).kizukiBench = (opts) => executor().benchmark(opts);
}
