/**
 * Small, structured-cloneable previews that kernels produce for the editor (never tensors).
 * Images are 8-bit RGBA so the UI can put them straight into ImageData.
 */
export type PreviewImage = {
  name: string;
  /** 0 normal, 1 anomalous, -1 unknown. */
  label: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  caption?: string;
};

export type RocCurve = { fpr: number[]; tpr: number[]; thresholds: number[] };

export type Preview =
  | { kind: 'images'; title: string; total: number; images: PreviewImage[] }
  | { kind: 'loss'; epochs: number; values: number[] }
  | { kind: 'histogram'; title: string; edges: number[]; normal: number[]; anomalous: number[]; unknown: number[] }
  | { kind: 'roc'; curve: RocCurve; auroc: number; ap: number; nNormal: number; nAnomalous: number; flippedHint: boolean }
  | { kind: 'text'; lines: string[] };

/** A node may return several previews (e.g. loss curve + reconstructions). */
export type NodePreview = Preview[];
