/**
 * The image inspector's data: for one node of the last run, its images ranked by that node's scores (most
 * anomalous first, or least), each with every image-like value found around the node side by side — the input,
 * the reconstruction, the difference image, the heatmap — as small RGBA thumbnails, a page at a time.
 * "Around" = the node's own inputs and outputs, then those of the nodes feeding it (two levels), keeping the values
 * that describe the same images in the same order (equal names). A node without scores is browsed in set order.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeatmapsValue, ImageSetValue, LazyImageSetValue, ScoresValue, StoredValue } from '../../graph-nodes/core/kernel-types';
import type { PreviewImage } from '../../graph-nodes/core/preview';
import { readPixels } from '../../graph-nodes/core/image-stream';
import { overlayThumbnails, thumbnails } from '../../graph-nodes/core/tensor-preview';
import type { ResultCache } from './cache';
import { liveOutputs, type RunResult } from './run';

export type InspectRequest = { nodeId: string; offset: number; count: number; order: 'desc' | 'asc'; filter: 'all' | 'normal' | 'anomalous' };
export type InspectRow = { index: number; name: string; label: number; score: number | null; panels: (PreviewImage | null)[] };
export type InspectPage = {
  nodeId: string;
  scorer: string | null;
  /** Images after the filter. */
  total: number;
  columns: string[];
  rows: InspectRow[];
};

type Panel = { title: string; value: ImageSetValue | LazyImageSetValue | HeatmapsValue };

const THUMB = 112;

function valuesAround(result: RunResult, cache: ResultCache, nodeId: string): { where: string; port: string; label: string; value: StoredValue }[] {
  const out: { where: string; port: string; label: string; value: StoredValue }[] = [];
  const byId = new Map(result.plan.order.map((n) => [n.id, n]));
  // An entry evicted since the run has had its tensors disposed: liveOutputs leaves it out.
  const outputsOf = (id: string) => liveOutputs(result, cache, id);
  const visit = (id: string, depth: number) => {
    const node = byId.get(id);
    const outputs = outputsOf(id);
    if (!node || !outputs) return;
    for (const [port, value] of Object.entries(outputs)) {
      out.push({ where: id, port, label: node.definition.outputs[port]?.label ?? port, value });
    }
    if (depth === 0) return;
    for (const [port, i] of Object.entries(node.inputs)) {
      const value = outputsOf(i.nodeId)?.[i.port];
      if (value) out.push({ where: id, port, label: node.definition.inputs[port]?.label ?? port, value });
    }
    for (const i of Object.values(node.inputs)) visit(i.nodeId, depth - 1);
  };
  visit(nodeId, 2);
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

export async function inspectNode(result: RunResult, cache: ResultCache, req: InspectRequest): Promise<InspectPage> {
  const around = valuesAround(result, cache, req.nodeId);
  if (around.length === 0) throw new Error(`${req.nodeId} has no results in memory: run the pipeline (again) first`);
  const scores = around.find((v) => v.where === req.nodeId && v.value.kind === 'Scores')?.value as ScoresValue | undefined;
  const first = around.find((v) => v.value.kind === 'ImageSet' || v.value.kind === 'Heatmaps');
  const names = scores?.names ?? (first?.value as { names: string[] } | undefined)?.names;
  const labels = scores?.labels ?? (first?.value as { labels: Int8Array } | undefined)?.labels;
  if (!names || !labels) throw new Error(`${req.nodeId} has no images or scores to inspect`);

  const panels: Panel[] = [];
  const seen = new Set<unknown>();
  for (const v of around) {
    if ((v.value.kind !== 'ImageSet' && v.value.kind !== 'Heatmaps') || seen.has(v.value)) continue;
    if (!sameList(v.value.names, names)) continue;
    seen.add(v.value);
    panels.push({ title: `${v.label} (${v.where})`, value: v.value });
  }

  const keep = Array.from({ length: names.length }, (_, i) => i).filter(
    (i) => req.filter === 'all' || (req.filter === 'normal' ? labels[i] === 0 : labels[i] === 1),
  );
  if (scores) keep.sort((a, b) => (req.order === 'desc' ? scores.scores[b]! - scores.scores[a]! : scores.scores[a]! - scores.scores[b]!));
  const pageIdx = keep.slice(req.offset, req.offset + req.count);

  const base = panels.find((p) => p.value.kind === 'ImageSet')?.value as ImageSetValue | LazyImageSetValue | undefined;
  const columns: (PreviewImage | null)[][] = [];
  for (const p of panels) columns.push(await panelThumbs(p, pageIdx, base));

  return {
    nodeId: req.nodeId,
    scorer: scores?.scorer ?? null,
    total: keep.length,
    columns: panels.map((p) => p.title),
    rows: pageIdx.map((i, k) => ({
      index: i,
      name: names[i] ?? `#${i}`,
      label: labels[i] ?? -1,
      score: scores ? scores.scores[i]! : null,
      panels: columns.map((c) => c[k] ?? null),
    })),
  };
}

/** The picked images of a value as a tensor (read back from the source when the set is lazy); caller disposes. */
async function pickImages(v: ImageSetValue | LazyImageSetValue, indices: number[]): Promise<tf.Tensor4D> {
  const [h, w, c] = v.images === null ? v.imageShape : v.images.shape.slice(1);
  const { images } = await readPixels(v, indices);
  return tf.tensor4d(images, [indices.length, h!, w!, c!]);
}

async function panelThumbs(p: Panel, indices: number[], base: ImageSetValue | LazyImageSetValue | undefined): Promise<(PreviewImage | null)[]> {
  if (indices.length === 0) return [];
  const local = indices.map((_, k) => k);
  const v = p.value;
  if (v.kind === 'ImageSet') {
    const picked = await pickImages(v, indices);
    try {
      return await thumbnails(picked, indices.map((i) => v.labels[i]!), indices.map((i) => v.names[i]!), { indices: local, maxSize: THUMB });
    } finally {
      picked.dispose();
    }
  }
  const maps = tf.tidy(() => tf.gather(v.maps, indices) as tf.Tensor4D);
  try {
    const labels = indices.map((i) => v.labels[i]!);
    const names = indices.map((i) => v.names[i]!);
    if (base) {
      // One colour scale for the whole set, so pages compare.
      const range = tf.tidy(() => tf.stack([tf.min(v.maps), tf.max(v.maps)]));
      const [lo, hi] = Array.from(await range.data());
      range.dispose();
      const images = await pickImages(base, indices);
      try {
        return await overlayThumbnails(images, maps, labels, names, { indices: local, maxSize: THUMB, range: [lo!, hi!] });
      } finally {
        images.dispose();
      }
    }
    return await thumbnails(maps, labels, names, { indices: local, maxSize: THUMB, normalise: true, colormap: 'heat' });
  } finally {
    maps.dispose();
  }
}
