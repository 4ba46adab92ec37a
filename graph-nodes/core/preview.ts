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
  /**
   * Heatmap thumbnails only: the two layers `rgba` was blended from, so the editor can re-blend at any opacity.
   * `base` is the grey image (RGBA, opaque); `heat` the colour map with alpha = 255 × the normalised value.
   */
  layers?: { base: Uint8ClampedArray; heat: Uint8ClampedArray };
};

/** A decision rule score ≥ value ⇒ anomalous and how it fares on the labelled images (NaN when a denominator is 0). */
export type ThresholdDecision = {
  method: 'percentile-normal' | 'youden' | 'best-f1' | 'fixed';
  value: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: number;
  specificity: number;
  precision: number;
  f1: number;
};

export type RocCurve = { fpr: number[]; tpr: number[]; thresholds: number[] };

export type Preview =
  | { kind: 'images'; title: string; total: number; images: PreviewImage[] }
  | { kind: 'loss'; epochs: number; values: number[] }
  | {
      kind: 'histogram';
      title: string;
      edges: number[];
      normal: number[];
      anomalous: number[];
      unknown: number[];
      /** A vertical line at a score value, e.g. the normal radius r or a threshold. */
      marker?: { value: number; label: string };
    }
  | { kind: 'roc'; curve: RocCurve; auroc: number; ap: number; nNormal: number; nAnomalous: number; flippedHint: boolean }
  | { kind: 'text'; lines: string[] }
  | ({
      /** Confusion matrix at a decision threshold (score ≥ value ⇒ predicted anomalous). */
      kind: 'confusion';
      scorer: string;
    } & ThresholdDecision)
  | {
      /** Several scorers' ROC curves on one plot; `flipped` = AUROC < 0.5 (the score points the wrong way). */
      kind: 'roc-compare';
      curves: { scorer: string; fpr: number[]; tpr: number[]; auroc: number; ap: number; flipped: boolean }[];
      nNormal: number;
      nAnomalous: number;
    }
  /**
   * Raw per-image scores for the linked evaluation view (histogram + ROC + draggable threshold + confusion matrix +
   * the images on the wrong side). At most MAX_RAW_SCORES are sent; `total` counts all.
   */
  | {
      kind: 'scores';
      scorer: string;
      scores: number[];
      labels: number[];
      names: string[];
      total: number;
      /** The threshold the node chose, if it chose one. */
      threshold?: { value: number; method: string };
    }
  /** Points in a plane (e.g. a 2-D projection of embeddings), coloured by label (0/1/-1), with an optional circle. */
  | { kind: 'scatter'; title: string; points: { x: number; y: number; label: number }[]; circle?: { cx: number; cy: number; r: number } };

/** A node may return several previews (e.g. loss curve + reconstructions). */
export type NodePreview = Preview[];

/** Scores sent to the editor per scores preview (enough for any test set; bounded for huge batch runs). */
export const MAX_RAW_SCORES = 20_000;

/** The raw-scores preview of a scorer's output (first MAX_RAW_SCORES images). */
export function rawScoresPreview(
  v: { scorer: string; scores: ArrayLike<number>; labels: ArrayLike<number>; names: readonly string[] },
  threshold?: { value: number; method: string },
): Preview {
  const n = Math.min(v.scores.length, MAX_RAW_SCORES);
  return {
    kind: 'scores',
    scorer: v.scorer,
    scores: Array.from({ length: n }, (_, i) => v.scores[i]!),
    labels: Array.from({ length: n }, (_, i) => v.labels[i]!),
    names: v.names.slice(0, n),
    total: v.scores.length,
    ...(threshold ? { threshold } : {}),
  };
}
