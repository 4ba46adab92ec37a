/**
 * Results state of the app, apart from the editor store: facts of the last run fetched from the worker
 * (document, metrics, data manifest, detector-capable nodes), the data manifest of an imported pipeline, and how
 * the two compare after a re-run. Never saved; the document stays in the editor store.
 */
import { create } from 'zustand';
import { compareManifests, type DataManifest, type ManifestComparison } from '../../../graph-nodes/core/data-manifest';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import type { LastRunInfo } from '../executor-client';

type ResultsState = {
  lastRun: LastRunInfo | null;
  /** The manifest an imported pipeline was exported with, and from which file. */
  imported: { manifest: DataManifest; from: string } | null;
  /** Imported manifest vs the last run, per image set (null until a run after the import). */
  comparison: ManifestComparison[] | null;
  setLastRun(info: LastRunInfo | null): void;
  setImported(imported: ResultsState['imported']): void;
};

export const useResults = create<ResultsState>()((set, get) => ({
  lastRun: null,
  imported: null,
  comparison: null,
  setLastRun: (lastRun) => {
    const imported = get().imported;
    set({ lastRun, comparison: imported && lastRun ? compareManifests(imported.manifest, lastRun.manifest) : null });
  },
  setImported: (imported) => set({ imported, comparison: null }),
}));

/**
 * The document to export: with the data manifest of the last run (or, before any run, the one it was imported
 * with), limited to image-set nodes still in the document.
 */
export function withDataManifest(doc: PipelineDoc): PipelineDoc {
  const { lastRun, imported } = useResults.getState();
  const manifest = lastRun?.manifest ?? imported?.manifest;
  if (!manifest) return doc;
  const ids = new Set(doc.nodes.filter((n) => n.type === 'image-set').map((n) => n.id));
  const imageSets = manifest.imageSets.filter((s) => ids.has(s.nodeId));
  return imageSets.length > 0 ? { ...doc, dataManifest: { ...manifest, imageSets } } : doc;
}
