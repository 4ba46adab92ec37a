/**
 * Build the data manifest (graph-nodes/core/data-manifest.ts) of a finished run from its image-set outputs:
 * names, class counts and skipped files from the value's summary, and the content hash over names, labels and
 * the decoded pixels, read back in slices so a large set never needs a second full copy in memory. Lazy
 * (streamed) image sets are read back from their source the same way, so they hash like resident ones.
 */
import { ContentHasher, type DataManifest, type ImageSetManifest, MANIFEST_HASH_OF } from '../../graph-nodes/core/data-manifest';
import { streamOf } from '../../graph-nodes/core/image-stream';
import type { ImageSetValue, LazyImageSetValue } from '../../graph-nodes/core/kernel-types';
import type { NodeOutputs } from './values';

const SLICE = 64;

export async function imageSetManifest(
  nodeId: string,
  value: ImageSetValue | LazyImageSetValue,
  signal: AbortSignal = new AbortController().signal,
): Promise<ImageSetManifest> {
  const hasher = new ContentHasher();
  value.names.forEach((name, i) => hasher.text(`${name}\t${value.labels[i]}`));
  const stream = streamOf(value);
  const n = stream.count;
  for (let start = 0; start < n; start += SLICE) {
    const part = await stream.read(start, Math.min(SLICE, n - start), signal);
    try {
      hasher.floats((await part.data()) as Float32Array);
    } finally {
      part.dispose();
    }
  }
  const labels = { normal: 0, anomalous: 0, unlabelled: 0 };
  for (const l of value.labels) {
    if (l === 0) labels.normal++;
    else if (l === 1) labels.anomalous++;
    else labels.unlabelled++;
  }
  return {
    nodeId,
    source: value.summary.source,
    count: n,
    files: [...value.names],
    perClass: { ...value.summary.perClass },
    labels,
    skipped: value.summary.skipped.map((s) => ({ ...s })),
    contentHash: hasher.digest(),
  };
}

/** Manifest of every image-set node whose outputs are still available (`outputsOf` → undefined otherwise). */
export async function runManifest(
  imageSetNodeIds: string[],
  outputsOf: (nodeId: string) => NodeOutputs | undefined,
  now = new Date(),
): Promise<DataManifest> {
  const imageSets: ImageSetManifest[] = [];
  for (const id of imageSetNodeIds) {
    const value = outputsOf(id)?.images;
    if (value?.kind === 'ImageSet') imageSets.push(await imageSetManifest(id, value));
  }
  return { createdAt: now.toISOString(), hashOf: MANIFEST_HASH_OF, imageSets };
}
