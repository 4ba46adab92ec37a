/**
 * What the app can download from the last run in the worker: scores CSV, detector bundles, the data manifest
 * and the run summary. Holds the run's document and result; values are read from the session cache only while
 * they are still there (eviction or a backend switch disposes them), so a stale download says "run again"
 * instead of reading freed tensors.
 */
import { type DataManifest, type ImageSetManifest, MANIFEST_HASH_OF } from '../../graph-nodes/core/data-manifest';
import { KizukiError } from '../../graph-nodes/core/errors';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import type { ResultCache } from './cache';
import { buildDetector, type DetectorFiles, detectorCandidates } from './detector';
import { type InspectPage, type InspectRequest, inspectNode } from './inspect';
import { imageSetManifest } from './manifest';
import { liveOutputs, type RunResult } from './run';
import { collectScores, scoresCsv } from './scores-csv';
import type { RunSummary } from './session';

export type LastRunInfo = {
  doc: PipelineDoc;
  summary: RunSummary;
  finishedAt: string;
  /** Scorer nodes a detector can be built from. */
  detectorNodes: string[];
  manifest: DataManifest;
};

/** Image-set manifests by cache key: a cached image set is not hashed again on every run. */
const manifestsByKey = new Map<string, ImageSetManifest>();
const MAX_REMEMBERED = 64;

export class LastRun {
  private manifest: DataManifest | null = null;
  readonly finishedAt = new Date().toISOString();

  constructor(
    readonly doc: PipelineDoc,
    readonly summary: RunSummary,
    private readonly result: RunResult,
    private readonly cache: ResultCache,
  ) {}

  private outputsOf = (nodeId: string) => liveOutputs(this.result, this.cache, nodeId);

  async info(): Promise<LastRunInfo> {
    this.manifest ??= await this.buildManifest();
    return { doc: this.doc, summary: this.summary, finishedAt: this.finishedAt, detectorNodes: detectorCandidates(this.doc), manifest: this.manifest };
  }

  private async buildManifest(): Promise<DataManifest> {
    const imageSets: ImageSetManifest[] = [];
    for (const node of this.doc.nodes.filter((n) => n.type === 'image-set')) {
      const r = this.result.nodes.get(node.id);
      const value = this.outputsOf(node.id)?.images;
      if (!r || (r.status !== 'done' && r.status !== 'cached') || value?.kind !== 'ImageSet') continue;
      let m = manifestsByKey.get(r.key);
      if (!m) {
        m = await imageSetManifest(node.id, value);
        if (manifestsByKey.size >= MAX_REMEMBERED) manifestsByKey.delete(manifestsByKey.keys().next().value!);
        manifestsByKey.set(r.key, m);
      }
      // The same cached value can feed another node id (same params): keep this node's id.
      imageSets.push({ ...m, nodeId: node.id });
    }
    return { createdAt: this.finishedAt, hashOf: MANIFEST_HASH_OF, imageSets };
  }

  scoresCsv(): string {
    const columns = collectScores(this.result).filter((c) => this.outputsOf(this.nodeOfColumn(c.column)) !== undefined);
    if (columns.length === 0) throw new KizukiError('BAD_ARGUMENT', { reason: 'The last run produced no scores (or they were freed): run the pipeline again.' });
    return scoresCsv(columns);
  }

  /** A page of the image inspector over this run's values. */
  inspect(req: InspectRequest): Promise<InspectPage> {
    return inspectNode(this.result, this.cache, req);
  }

  detector(nodeId: string): Promise<DetectorFiles> {
    return buildDetector(this.doc, nodeId, this.outputsOf);
  }

  private nodeOfColumn(column: string): string {
    return column.includes('.') ? column.slice(0, column.indexOf('.')) : column;
  }
}
