/**
 * The last runs of this browser (document + per-evaluator metrics and ROC curves), so two runs can be compared
 * side by side — e.g. raw-pixel distance vs latent distance after swapping a node. Kept in localStorage (small:
 * curves are thinned by the engine), newest first, at most MAX_RUNS.
 */
import { create } from 'zustand';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import type { RunSummary } from '../../workers/engine/session';

export type RecordedRun = {
  no: number;
  finishedAt: string;
  status: RunSummary['status'];
  seconds: number;
  backend: string;
  doc: PipelineDoc;
  metrics: RunSummary['metrics'];
};

const KEY = 'kizuki.editor.runs';
const MAX_RUNS = 12;

function load(): RecordedRun[] {
  try {
    const raw = typeof window === 'undefined' ? null : window.localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as RecordedRun[]) : [];
    return Array.isArray(list) ? list.filter((r) => r && typeof r.no === 'number' && r.doc && r.metrics) : [];
  } catch {
    return [];
  }
}

type RunHistory = { runs: RecordedRun[]; record(doc: PipelineDoc, summary: RunSummary): void; clear(): void };

export const useRunHistory = create<RunHistory>()((set, get) => ({
  runs: [],
  record(doc, summary) {
    if (Object.keys(summary.metrics).length === 0) return; // nothing to compare
    const runs = get().runs.length > 0 ? get().runs : load();
    const no = (runs[0]?.no ?? 0) + 1;
    const entry: RecordedRun = {
      no,
      finishedAt: new Date().toISOString(),
      status: summary.status,
      seconds: summary.seconds,
      backend: summary.backend,
      doc,
      metrics: summary.metrics,
    };
    const next = [entry, ...runs].slice(0, MAX_RUNS);
    set({ runs: next });
    try {
      window.localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // Storage full: the comparison still works for this session.
    }
  },
  clear() {
    set({ runs: [] });
    try {
      window.localStorage.removeItem(KEY);
    } catch {
      // ignore
    }
  },
}));

/** Read the stored runs once the page is in the browser (the store starts empty for server rendering). */
export function loadRunHistory(): void {
  if (useRunHistory.getState().runs.length === 0) useRunHistory.setState({ runs: load() });
}
