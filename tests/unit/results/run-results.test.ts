import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { getTemplate } from '../../../graph-nodes/templates';
import { createNodeIO } from '../../../workers/engine/node-io';
import type { ImageSetValue } from '../../../graph-nodes/core/kernel-types';
import { percentile } from '../../../graph-nodes/core/score-stats';
import { loadDetector } from '../../../workers/engine/detector';
import { LastRun } from '../../../workers/engine/run-results';
import { EngineSession } from '../../../workers/engine/session';

function tinyDoc(): PipelineDoc {
  const doc = structuredClone(getTemplate('lecture-ae-residual')!.doc) as PipelineDoc;
  const patch: Record<string, Record<string, unknown>> = {
    'train-data': { normals: 8, size: 16 },
    'test-data': { normals: 4, anomalies: 4, size: 16 },
    ae: { epochs: 1, channels: [4] },
  };
  for (const n of doc.nodes) n.params = { ...n.params, ...(patch[n.id] ?? {}) };
  return doc;
}

describe('downloads from the last run (worker side)', () => {
  it('gives scores CSV, detector files and the data manifest, and says "run again" once values are freed', async () => {
    const session = new EngineSession(createNodeIO(), 'cpu');
    const doc = tinyDoc();
    const { summary, result } = await session.run(doc, () => {});
    expect(summary.status).toBe('done');
    const last = new LastRun(doc, summary, result!, session.cache);

    const info = await last.info();
    expect(info.detectorNodes).toEqual(['residual']);
    expect(info.summary.metrics.roc).toMatchObject({ nNormal: 4, nAnomalous: 4 });
    expect(info.manifest.imageSets.map((s) => [s.nodeId, s.count])).toEqual([['train-data', 8], ['test-data', 8]]);

    const csv = last.scoresCsv().trim().split('\n');
    expect(csv[0]).toBe('image,label,residual');
    expect(csv).toHaveLength(9);

    const files = await last.detector('residual');
    expect(Object.keys(files).sort()).toEqual(['detector.json', 'model/model.json', 'model/weights.bin']);
    // The default threshold is the 95th percentile of the training images' scores under the saved detector.
    const detector = await loadDetector(async (rel) => files[rel]!);
    const train = result!.nodes.get('train-data')!;
    const trainImages = (train.status === 'done' ? train.entry.outputs.images : undefined) as ImageSetValue;
    const own = await detector.score(trainImages.images);
    expect(detector.spec.threshold).toEqual({ value: percentile(own, 95), source: "95th percentile of the 8 training images' scores" });
    detector.dispose();
    await expect(last.detector('roc')).rejects.toThrow(/Cannot make a detector from node "roc": it is a roc node/);

    // A cached re-run reuses the image-set manifests (same hashes) without hashing again.
    const again = await session.run(doc, () => {});
    const second = await new LastRun(doc, again.summary, again.result!, session.cache).info();
    expect(second.manifest.imageSets.map((s) => s.contentHash)).toEqual(info.manifest.imageSets.map((s) => s.contentHash));

    session.clearCache();
    expect(() => last.scoresCsv()).toThrow(/run the pipeline again/);
    await expect(last.detector('residual')).rejects.toThrow(/has no result: run the pipeline first/);
  });
});
