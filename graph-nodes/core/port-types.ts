/**
 * The closed set of port types. A connection is allowed only when `accepts(to, from)` holds.
 * Each runtime value that travels on a port carries `kind` equal to its port type
 * (see kernel-types.ts for the tensor-side shapes).
 */
export const portTypes = {
  ImageSet: {
    label: 'Image set',
    color: '#3b82f6',
    meaning: 'Images float32 [N,H,W,C] in 0..1, with per-image labels (0 normal, 1 anomalous, -1 unknown), names and optional masks [N,H,W,1].',
  },
  Scores: {
    label: 'Scores',
    color: '#f59e0b',
    meaning: 'One anomaly score per image (higher = more anomalous), with the labels and names of the images scored.',
  },
  Embeddings: {
    label: 'Embeddings',
    color: '#a855f7',
    meaning: 'One feature vector per image, float32 [N,D], with labels and names (e.g. an AutoEncoder latent code).',
  },
  Model: {
    label: 'Model',
    color: '#10b981',
    meaning: 'A trained network (e.g. an AutoEncoder) that later nodes can apply to new images.',
  },
  FeatureExtractor: {
    label: 'Feature extractor',
    color: '#14b8a6',
    meaning: 'A network that maps images to feature maps (pretrained CNN or an AutoEncoder encoder).',
  },
  Heatmaps: {
    label: 'Heatmaps',
    color: '#ef4444',
    meaning: 'Per-pixel anomaly maps float32 [N,H,W,1] aligned with the input images.',
  },
  Metrics: {
    label: 'Metrics',
    color: '#64748b',
    meaning: 'Evaluation results: ROC curve, AUROC, AP and counts.',
  },
} as const;

export type PortType = keyof typeof portTypes;
export const portTypeIds = Object.keys(portTypes) as PortType[];

/** Whether an output of type `from` may feed an input of type `to`. Exact match: types are few and distinct. */
export function accepts(to: PortType, from: PortType): boolean {
  return to === from;
}
