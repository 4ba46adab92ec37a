/**
 * Pure score statistics shared by evaluators and previews (no tfjs):
 * ROC curve + AUROC exactly as scikit-learn's roc_curve/roc_auc_score (ties between a normal and an anomalous
 * score count ½, because tied scores form one threshold step and the trapezoid rule spans it), average
 * precision as sklearn's average_precision_score (step-wise Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct thresholds), and
 * normal-vs-anomalous histograms.
 */
import type { Preview, RocCurve } from './preview';

export type RocResult = RocCurve & { auroc: number; ap: number; nNormal: number; nAnomalous: number };

/**
 * @param scores higher = more anomalous
 * @param labels 1 anomalous (positive), 0 normal; other values are ignored
 * @throws Error when one of the two classes is absent (caller maps it to SINGLE_CLASS)
 */
export function rocAnalysis(scores: ArrayLike<number>, labels: ArrayLike<number>): RocResult {
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) nPos++;
    else if (labels[i] === 0) nNeg++;
  }
  if (nPos === 0 || nNeg === 0) throw new Error(nPos === 0 ? 'normal' : 'anomalous');

  // One ROC point per distinct threshold (after the last of a run of tied scores).
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let ap = 0;
  let prevRecall = 0;
  for (const { threshold, tp, fp } of thresholdSweep(scores, labels)) {
    fpr.push(fp / nNeg);
    tpr.push(tp / nPos);
    thresholds.push(threshold);
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  let auroc = 0;
  for (let k = 1; k < fpr.length; k++) auroc += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  return { fpr, tpr, thresholds, auroc, ap, nNormal: nNeg, nAnomalous: nPos };
}

/**
 * The rules "score ≥ t ⇒ anomalous" for every distinct labelled score t, from the highest down, with the true
 * and false positives each rule gives. Labels other than 0/1 are ignored.
 */
export function* thresholdSweep(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): Generator<{ threshold: number; tp: number; fp: number }> {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (labels[i] === 0 || labels[i] === 1) idx.push(i);
  idx.sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = idx[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    yield { threshold: scores[i]!, tp, fp };
  }
}

/** Histogram of scores split by label, with shared bin edges. */
export function scoreHistogram(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  title: string,
  bins = 20,
): Extract<Preview, { kind: 'histogram' }> {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi === lo) hi = lo + 1e-6;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const normal = new Array<number>(bins).fill(0);
  const anomalous = new Array<number>(bins).fill(0);
  const unknown = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    const b = Math.min(bins - 1, Math.floor((s - lo) / width));
    const target = labels[i] === 0 ? normal : labels[i] === 1 ? anomalous : unknown;
    target[b]!++;
  }
  return { kind: 'histogram', title, edges, normal, anomalous, unknown };
}

/** The p-th percentile (0..100) with linear interpolation between order statistics (numpy's default). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

export type Counts = { tp: number; fp: number; tn: number; fn: number };

/** Confusion matrix of the labelled (0/1) images for the rule score ≥ t ⇒ anomalous. */
export function confusion(scores: ArrayLike<number>, labels: ArrayLike<number>, t: number): Counts {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i]! >= t;
    if (labels[i] === 1) flagged ? c.tp++ : c.fn++;
    else if (labels[i] === 0) flagged ? c.fp++ : c.tn++;
  }
  return c;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

export function rates(c: Counts) {
  return {
    sensitivity: ratio(c.tp, c.tp + c.fn),
    specificity: ratio(c.tn, c.tn + c.fp),
    precision: ratio(c.tp, c.tp + c.fp),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/**
 * The distinct score that maximises `objective(tp, fp)` over the rules score ≥ s (s a labelled score). Ties go
 * to the highest threshold (the fewest alarms), as argmax over sklearn's descending roc_curve thresholds does.
 */
export function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, objective: (tp: number, fp: number) => number): number {
  let best = -Infinity;
  let bestT = NaN;
  for (const { threshold, tp, fp } of thresholdSweep(scores, labels)) {
    const v = objective(tp, fp);
    if (v > best) {
      best = v;
      bestT = threshold;
    }
  }
  return bestT;
}
