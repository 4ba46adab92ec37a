/**
 * An engine session: one result cache, one data source and at most one run at a time. The browser worker and
 * the headless CLI both drive the engine through this class, so they plan, cache and report identically.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataIO, Kernel, MetricsValue } from '../../graph-nodes/core/kernel-types';
import { ResultCache } from './cache';
import type { RunEvent, RunStatus } from './events';
import { type DefinitionLookup, planPipeline } from './plan';
import { type RunResult, runPlan } from './run';

export type MemoryInfo = { numTensors: number; numBytes: number; cacheEntries: number; cacheBytes: number };

export type MetricsSummary = Pick<MetricsValue, 'scorer' | 'auroc' | 'ap' | 'nNormal' | 'nAnomalous' | 'threshold' | 'pixel'> & {
  /** The ROC curve, thinned to at most MAX_CURVE_POINTS (for plots and run comparisons). */
  roc?: { fpr: number[]; tpr: number[] };
};

const MAX_CURVE_POINTS = 400;

/** Every k-th point of a curve, always keeping both ends, so a pixel-level ROC stays small. */
export function thinCurve(fpr: readonly number[], tpr: readonly number[], max = MAX_CURVE_POINTS): { fpr: number[]; tpr: number[] } {
  if (fpr.length <= max) return { fpr: [...fpr], tpr: [...tpr] };
  const step = (fpr.length - 1) / (max - 1);
  const idx = Array.from({ length: max }, (_, k) => Math.round(k * step));
  return { fpr: idx.map((i) => fpr[i]!), tpr: idx.map((i) => tpr[i]!) };
}

export type RunSummary = {
  status: RunStatus;
  seconds: number;
  backend: string;
  /** Keyed by evaluator node id. */
  metrics: Record<string, MetricsSummary>;
};

export class EngineSession {
  readonly cache = new ResultCache();
  private runCounter = 0;
  private controller: AbortController | null = null;

  constructor(
    public io: DataIO,
    public backend: string,
    private readonly registry: { lookup?: DefinitionLookup; getKernel?: (type: string) => Kernel } = {},
  ) {}

  /** Plan and run a pipeline document (untrusted JSON). An earlier run still going is cancelled first. */
  async run(doc: unknown, onEvent: (e: RunEvent) => void): Promise<{ summary: RunSummary; result: RunResult | null }> {
    this.cancel();
    const runId = ++this.runCounter;
    const planned = planPipeline(doc, this.registry.lookup);
    if (!planned.ok) {
      onEvent({ type: 'run-finished', runId, status: 'invalid', seconds: 0, issues: planned.issues });
      return { summary: { status: 'invalid', seconds: 0, backend: this.backend, metrics: {} }, result: null };
    }
    const controller = new AbortController();
    this.controller = controller;
    try {
      const result = await runPlan(planned.plan, {
        runId,
        cache: this.cache,
        io: this.io,
        signal: controller.signal,
        backend: this.backend,
        onEvent,
        ...(this.registry.getKernel ? { getKernel: this.registry.getKernel } : {}),
      });
      return {
        summary: { status: result.status, seconds: result.seconds, backend: this.backend, metrics: metricsOf(result) },
        result,
      };
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  memory(): MemoryInfo {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, cacheEntries: this.cache.size, cacheBytes: this.cache.bytes };
  }

  clearCache(): MemoryInfo {
    this.cache.clear();
    return this.memory();
  }
}

/** Metrics outputs of a run, keyed by evaluator node id. */
export function metricsOf(result: RunResult): Record<string, MetricsSummary> {
  const out: Record<string, MetricsSummary> = {};
  for (const [nodeId, r] of result.nodes) {
    if (r.status !== 'done' && r.status !== 'cached') continue;
    for (const value of Object.values(r.entry.outputs)) {
      if (value.kind !== 'Metrics') continue;
      const m = value as MetricsValue;
      out[nodeId] = {
        scorer: m.scorer,
        auroc: m.auroc,
        ap: m.ap,
        nNormal: m.nNormal,
        nAnomalous: m.nAnomalous,
        ...(m.threshold ? { threshold: m.threshold } : {}),
        ...(m.pixel ? { pixel: m.pixel } : {}),
        ...(m.roc.fpr.length > 0 ? { roc: thinCurve(m.roc.fpr, m.roc.tpr) } : {}),
      };
    }
  }
  return out;
}
