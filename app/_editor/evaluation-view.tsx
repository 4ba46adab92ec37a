/**
 * The linked evaluation view: one threshold t (score ≥ t ⇒ anomalous) shown at once on the score histogram
 * (a vertical line you drag), on the ROC curve (the operating point; click or drag along the curve), in the
 * confusion matrix with sensitivity / specificity / precision / F1, and as the lists of images on the wrong side
 * (false alarms and misses). The lecture's "normal range r" made tangible: r is the threshold on a distance.
 * Everything is computed here from the raw scores of a `scores` preview; nothing goes back to the worker except,
 * on request, the chosen value into a Threshold node's params (an undoable edit).
 */
'use client';
import { useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Preview } from '../../graph-nodes/core/preview';
import { bestThreshold, confusion, rates, rocAnalysis, scoreHistogram } from '../../graph-nodes/core/score-stats';
import { useT } from '../_i18n/translate';
import { ConfusionTable } from './confusion-table';
import { useEditor } from './store';
import { Modal } from './modal';

type ScoresPreview = Extract<Preview, { kind: 'scores' }>;

const NORMAL = '#0284c7';
const ANOMALOUS = '#dc2626';
const HW = 460;
const HH = 190;
const RS = 190;
const PAD = 28;

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(2) : x.toPrecision(4)) : '—');
const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);

/** A starting threshold: the node's own, else the Youden point when both classes are labelled, else the median. */
function initialThreshold(p: ScoresPreview): number {
  if (p.threshold && Number.isFinite(p.threshold.value)) return p.threshold.value;
  const nA = p.labels.filter((l) => l === 1).length;
  const nN = p.labels.filter((l) => l === 0).length;
  if (nA > 0 && nN > 0) {
    const youden = bestThreshold(p.scores, p.labels, (tp, fp) => tp / nA - fp / nN);
    if (Number.isFinite(youden)) return youden;
  }
  const sorted = [...p.scores].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function EvaluationView({ p, nodeId, onClose }: { p: ScoresPreview; nodeId: string; onClose: () => void }) {
  const nodeType = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data.type);
  const [t, setT] = useState(() => initialThreshold(p));
  const tr = useT();

  const lo = Math.min(...p.scores);
  const hi = Math.max(...p.scores);
  const span = hi - lo || 1;
  const hist = useMemo(() => scoreHistogram(p.scores, p.labels, p.scorer), [p]);
  const roc = useMemo(() => {
    const nA = p.labels.filter((l) => l === 1).length;
    const nN = p.labels.filter((l) => l === 0).length;
    return nA > 0 && nN > 0 ? rocAnalysis(p.scores, p.labels) : null;
  }, [p]);
  const counts = confusion(p.scores, p.labels, t);
  const r = rates(counts);
  const fpr = counts.fp + counts.tn > 0 ? counts.fp / (counts.fp + counts.tn) : NaN;

  const wrong = useMemo(() => {
    const fps: { name: string; score: number }[] = [];
    const fns: { name: string; score: number }[] = [];
    p.scores.forEach((s, i) => {
      if (p.labels[i] === 0 && s >= t) fps.push({ name: p.names[i] ?? `#${i}`, score: s });
      if (p.labels[i] === 1 && s < t) fns.push({ name: p.names[i] ?? `#${i}`, score: s });
    });
    fps.sort((a, b) => b.score - a.score);
    fns.sort((a, b) => a.score - b.score);
    return { fps, fns };
  }, [p, t]);

  // Histogram geometry: scores lo..hi across the plot width.
  const x = (score: number) => PAD + ((score - lo) / span) * (HW - 2 * PAD);
  const scoreAt = (px: number) => lo + ((px - PAD) / (HW - 2 * PAD)) * span;
  const dragging = useRef<'hist' | 'roc' | null>(null);

  const svgPoint = (e: ReactPointerEvent<SVGSVGElement>, w: number, h: number) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { px: ((e.clientX - box.left) / box.width) * w, py: ((e.clientY - box.top) / box.height) * h };
  };
  const onHist = (e: ReactPointerEvent<SVGSVGElement>) => {
    const { px } = svgPoint(e, HW, HH);
    setT(Math.min(hi, Math.max(lo, scoreAt(px))));
  };
  const onRoc = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (!roc) return;
    const { px, py } = svgPoint(e, RS, RS);
    const fx = (px - PAD) / (RS - 2 * PAD);
    const fy = 1 - (py - PAD / 2) / (RS - 1.5 * PAD);
    // Nearest operating point on the curve; its threshold (sklearn's first threshold is +∞: flag nothing).
    let k = 0;
    let best = Infinity;
    roc.fpr.forEach((f, i) => {
      const d = (f - fx) ** 2 + (roc.tpr[i]! - fy) ** 2;
      if (d < best) [best, k] = [d, i];
    });
    const th = roc.thresholds[k]!;
    setT(Number.isFinite(th) ? th : hi + span * 1e-6);
  };

  const bins = hist;
  const maxCount = bins ? Math.max(1, ...bins.normal.map((n, i) => Math.max(n, bins.anomalous[i]!))) : 1;
  const y = (c: number) => HH - PAD + 4 - (c / maxCount) * (HH - PAD - 10);

  const rocX = (f: number) => PAD + f * (RS - 2 * PAD);
  const rocY = (v: number) => PAD / 2 + (1 - v) * (RS - 1.5 * PAD);

  const apply = () => {
    const node = useEditor.getState().nodes.find((n) => n.id === nodeId);
    if (!node) return;
    useEditor.getState().setParams(nodeId, { ...node.data.params, method: 'fixed', value: Number(t.toPrecision(6)) });
    onClose();
  };

  return (
    <Modal className="eval-view" labelledBy="eval-title" testId="eval-view" onClose={onClose}>
      <h2 id="eval-title">
        {tr('eval.title')} <span className="muted">— {p.scorer}</span>
      </h2>
      <p className="eval-lead">
        {tr('eval.lead')} {p.total > p.scores.length ? tr('eval.showingFirst', { shown: p.scores.length, total: p.total }) : null}
      </p>
      <div className="eval-plots">
        <svg
          viewBox={`0 0 ${HW} ${HH}`}
          className="eval-hist"
          data-testid="eval-hist"
          role="img"
          aria-label={tr('eval.histAria', { t: fmt(t) })}
          onPointerDown={(e) => {
            dragging.current = 'hist';
            e.currentTarget.setPointerCapture(e.pointerId);
            onHist(e);
          }}
          onPointerMove={(e) => dragging.current === 'hist' && onHist(e)}
          onPointerUp={() => (dragging.current = null)}
        >
          {bins.normal.map((n, i) => {
                const x0 = x(bins.edges[i]!);
                const w = Math.max(1, x(bins.edges[i + 1]!) - x0 - 1);
                const a = bins.anomalous[i]!;
                return (
                  <g key={i}>
                    <rect x={x0} y={y(n)} width={w} height={HH - PAD + 4 - y(n)} fill={NORMAL} opacity={0.55} />
                    <rect x={x0} y={y(a)} width={w} height={HH - PAD + 4 - y(a)} fill={ANOMALOUS} opacity={0.55} />
                  </g>
                );
              })}
          <line x1={PAD} x2={HW - PAD} y1={HH - PAD + 4} y2={HH - PAD + 4} stroke="#64748b" />
          <rect x={PAD} y={6} width={9} height={9} fill={NORMAL} opacity={0.55} />
          <text x={PAD + 13} y={14} className="eval-axis">
            {tr('label.normal')}
          </text>
          <rect x={PAD + 58} y={6} width={9} height={9} fill={ANOMALOUS} opacity={0.55} />
          <text x={PAD + 71} y={14} className="eval-axis">
            {tr('label.anomalous')}
          </text>
          <text x={PAD} y={HH - 6} className="eval-axis">
            {fmt(lo)}
          </text>
          <text x={HW - PAD} y={HH - 6} textAnchor="end" className="eval-axis">
            {fmt(hi)}
          </text>
          <text x={HW / 2} y={HH - 6} textAnchor="middle" className="eval-axis">
            {tr('eval.score')}
          </text>
          <line x1={x(t)} x2={x(t)} y1={6} y2={HH - PAD + 4} stroke="#0f172a" strokeWidth={2} data-testid="eval-line" />
          <rect x={x(t) - 6} y={6} width={12} height={HH - PAD - 2} fill="transparent" style={{ cursor: 'ew-resize' }} />
          <text x={Math.min(HW - 60, x(t) + 4)} y={16} className="eval-axis">
            t = {fmt(t)}
          </text>
        </svg>
        {roc ? (
          <svg
            viewBox={`0 0 ${RS} ${RS}`}
            className="eval-roc"
            data-testid="eval-roc"
            role="img"
            aria-label={tr('eval.rocAria', { auc: roc.auroc.toFixed(3), fpr: pct(fpr), sensitivity: pct(r.sensitivity) })}
            onPointerDown={(e) => {
              dragging.current = 'roc';
              e.currentTarget.setPointerCapture(e.pointerId);
              onRoc(e);
            }}
            onPointerMove={(e) => dragging.current === 'roc' && onRoc(e)}
            onPointerUp={() => (dragging.current = null)}
          >
            <rect x={rocX(0)} y={rocY(1)} width={rocX(1) - rocX(0)} height={rocY(0) - rocY(1)} fill="none" stroke="#cbd5e1" />
            <line x1={rocX(0)} y1={rocY(0)} x2={rocX(1)} y2={rocY(1)} stroke="#cbd5e1" strokeDasharray="3 3" />
            <polyline points={roc.fpr.map((f, i) => `${rocX(f)},${rocY(roc.tpr[i]!)}`).join(' ')} fill="none" stroke="#7c3aed" strokeWidth={2} />
            <circle cx={rocX(Number.isNaN(fpr) ? 0 : fpr)} cy={rocY(Number.isNaN(r.sensitivity) ? 0 : r.sensitivity)} r={5} fill="#0f172a" data-testid="eval-point" />
            <text x={RS / 2} y={RS - 4} textAnchor="middle" className="eval-axis">
              {tr('eval.falseAlarmRate')}
            </text>
            <text x={12} y={RS / 2} textAnchor="middle" className="eval-axis" transform={`rotate(-90 12 ${RS / 2})`}>
              {tr('eval.sensitivity')}
            </text>
            <text x={rocX(1) - 2} y={rocY(0) - 6} textAnchor="end" className="eval-axis">
              AUROC {roc.auroc.toFixed(3)}
            </text>
          </svg>
        ) : (
          <div className="eval-roc muted">{tr('eval.rocNeedsBoth')}</div>
        )}
      </div>
      <div className="eval-controls">
        <label>
          {tr('eval.threshold')}{' '}
          <input
            type="number"
            step="any"
            value={Number(t.toPrecision(6))}
            onChange={(e) => Number.isFinite(e.target.valueAsNumber) && setT(e.target.valueAsNumber)}
            data-testid="eval-threshold"
          />
        </label>
        <input
          type="range"
          min={lo}
          max={hi}
          step={span / 1000}
          value={Math.min(hi, Math.max(lo, t))}
          onChange={(e) => setT(e.target.valueAsNumber)}
          aria-label={tr('eval.threshold')}
          className="eval-range"
        />
      </div>
      <div className="eval-numbers">
        <ConfusionTable counts={counts} className="eval-confusion" testIdPrefix="eval" />
        <dl className="eval-rates">
          <dt>{tr('eval.sensitivity')}</dt>
          <dd data-testid="eval-sensitivity">{pct(r.sensitivity)}</dd>
          <dt>{tr('eval.specificity')}</dt>
          <dd data-testid="eval-specificity">{pct(r.specificity)}</dd>
          <dt>{tr('eval.precision')}</dt>
          <dd>{pct(r.precision)}</dd>
          <dt>F1</dt>
          <dd>{Number.isNaN(r.f1) ? '—' : r.f1.toFixed(3)}</dd>
        </dl>
      </div>
      <div className="eval-lists">
        <WrongList title={tr('eval.falseAlarms')} items={wrong.fps} testId="eval-fp-list" />
        <WrongList title={tr('eval.missed')} items={wrong.fns} testId="eval-fn-list" />
      </div>
      <div className="modal-actions">
        {nodeType === 'threshold' ? (
          <button type="button" className="button" onClick={apply} data-testid="eval-apply" title={tr('eval.applyTitle')}>
            {tr('eval.apply')}
          </button>
        ) : null}
        <button type="button" className="button button--primary" onClick={onClose} autoFocus>
          {tr('common.close')}
        </button>
      </div>
    </Modal>
  );
}

function WrongList({ title, items, testId }: { title: string; items: { name: string; score: number }[]; testId: string }) {
  const shown = items.slice(0, 50);
  const tr = useT();
  return (
    <section className="eval-list" data-testid={testId} data-count={items.length}>
      <h3>
        {title}: {items.length}
      </h3>
      {items.length === 0 ? (
        <p className="muted">{tr('eval.none')}</p>
      ) : (
        <ol>
          {shown.map((it) => (
            <li key={it.name}>
              <span className="eval-name">{it.name}</span> <span className="muted">{fmt(it.score)}</span>
            </li>
          ))}
          {items.length > shown.length ? <li className="muted">{tr('eval.more', { count: items.length - shown.length })}</li> : null}
        </ol>
      )}
    </section>
  );
}
