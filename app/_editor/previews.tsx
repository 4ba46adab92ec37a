/**
 * Renderers for the Preview union that kernels send (see graph-nodes/core/preview.ts).
 * Everything is drawn from plain numbers: SVG for curves, canvas/ImageData for thumbnails. Our captions, legends
 * and axis labels follow the UI language; kernels' fixed titles (previewTitle) and text lines (runMessageText) are
 * re-worded when the UI is not English, anything else comes as it was sent.
 */
'use client';
import { useState } from 'react';
import type { NodePreview, Preview, PreviewImage } from '../../graph-nodes/core/preview';
import { optionLabel, previewTitle, runMessageText } from '../../graph-nodes/i18n/node-text';
import { getDefinition } from '../../graph-nodes/registry';
import { type TFunction, useLangValue, useT } from '../_i18n/translate';
import { ConfusionTable } from './confusion-table';
import { EvaluationView } from './evaluation-view';
import { HeatOpacitySlider, ImageCanvas } from './image-canvas';

const W = 232;
const NORMAL = '#0ea5e9';
const ANOMALOUS = '#ef4444';
const UNKNOWN = '#94a3b8';

const labelColor = (label: number) => (label === 0 ? NORMAL : label === 1 ? ANOMALOUS : UNKNOWN);
const labelName = (label: number, t: TFunction) => t(label === 0 ? 'label.normal' : label === 1 ? 'label.anomalous' : 'label.unlabelled');

/** `onInspect`: opens the node's image inspector; thumbnails become buttons that do so. */
export function Previews({ previews, nodeId, onInspect }: { previews: NodePreview | undefined; nodeId: string; onInspect?: () => void }) {
  if (!previews || previews.length === 0) return null;
  return (
    <div className="previews nodrag" data-testid="previews">
      {previews.map((p, i) => (
        <PreviewView key={i} preview={p} nodeId={nodeId} onInspect={onInspect} />
      ))}
    </div>
  );
}

function PreviewView({ preview, nodeId, onInspect }: { preview: Preview; nodeId: string; onInspect?: () => void }) {
  switch (preview.kind) {
    case 'scores':
      return <ExploreThreshold p={preview} nodeId={nodeId} />;
    case 'images':
      return <ImagesPreview title={preview.title} total={preview.total} images={preview.images} onInspect={onInspect} />;
    case 'loss':
      return <LossPreview epochs={preview.epochs} values={preview.values} />;
    case 'histogram':
      return <HistogramPreview p={preview} />;
    case 'roc':
      return <RocPreview p={preview} />;
    case 'confusion':
      return <ConfusionPreview p={preview} />;
    case 'roc-compare':
      return <RocComparePreview p={preview} />;
    case 'scatter':
      return <ScatterPreview p={preview} />;
    case 'text':
      return <TextPreview lines={preview.lines} />;
  }
}

function ImagesPreview({ title, total, images, onInspect }: { title: string; total: number; images: PreviewImage[]; onInspect?: () => void }) {
  const shown = images.slice(0, 6); // one row keeps nodes short enough not to run into their neighbours
  const t = useT();
  const lang = useLangValue();
  return (
    <figure className="pv pv-images" data-testid="preview-images">
      <figcaption>
        {previewTitle(title, lang)} <span className="muted">{t('pv.shownOf', { shown: shown.length, total })}</span>
      </figcaption>
      <div className="thumbs">
        {shown.map((img, i) =>
          onInspect ? (
            <button key={i} type="button" className="thumb-button" onClick={onInspect} title={t('pv.openInspector')} data-testid="thumb-inspect">
              <Thumb img={img} />
            </button>
          ) : (
            <Thumb key={i} img={img} />
          ),
        )}
      </div>
      {shown.some((img) => img.layers) ? <HeatOpacitySlider /> : null}
    </figure>
  );
}

function Thumb({ img }: { img: PreviewImage }) {
  const t = useT();
  return (
    <ImageCanvas
      img={img}
      className="thumb"
      style={{ borderColor: labelColor(img.label) }}
      title={`${img.name} (${labelName(img.label, t)})${img.caption ? ` ${img.caption}` : ''}`}
      role="img"
      aria-label={`${img.name} (${labelName(img.label, t)})`}
    />
  );
}

function LossPreview({ epochs, values }: { epochs: number; values: number[] }) {
  const h = 64;
  const t = useT();
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const n = Math.max(epochs, values.length, 2);
  const pts = values
    .map((v, i) => (Number.isFinite(v) ? `${((i / (n - 1)) * (W - 8) + 4).toFixed(1)},${(h - 4 - ((v - lo) / span) * (h - 8)).toFixed(1)}` : null))
    .filter(Boolean)
    .join(' ');
  const last = finite[finite.length - 1] as number;
  return (
    <figure className="pv" data-testid="preview-loss">
      <figcaption>
        {t('pv.trainingLoss')} <span className="muted">{t('pv.lossAfter', { last: fmt(last), done: values.length, epochs })}</span>
      </figcaption>
      <svg width={W} height={h} className="chart" role="img" aria-label={t('pv.lossAria', { last: fmt(last) })}>
        {finite.length > 1 ? (
          <polyline points={pts} fill="none" stroke="#334155" strokeWidth={1.5} />
        ) : (
          <circle cx={4} cy={h / 2} r={2.5} fill="#334155" />
        )}
      </svg>
    </figure>
  );
}

function HistogramPreview({ p }: { p: Extract<Preview, { kind: 'histogram' }> }) {
  const h = 64;
  const title = previewTitle(p.title, useLangValue());
  const bins = p.normal.length;
  const max = Math.max(1, ...p.normal, ...p.anomalous, ...p.unknown);
  const bw = (W - 8) / Math.max(bins, 1);
  const bar = (counts: number[], color: string) =>
    counts.map((c, i) =>
      c > 0 ? (
        <rect key={i} x={4 + i * bw} y={h - 14 - (c / max) * (h - 18)} width={Math.max(bw - 1, 1)} height={(c / max) * (h - 18)} fill={color} fillOpacity={0.55} />
      ) : null,
    );
  const lo = p.edges[0];
  const hi = p.edges[p.edges.length - 1];
  return (
    <figure className="pv" data-testid="preview-histogram">
      <figcaption>
        {title}{' '}
        <LabelLegend />
      </figcaption>
      <svg width={W} height={h} className="chart" role="img" aria-label={title}>
        {bar(p.unknown, UNKNOWN)}
        {bar(p.normal, NORMAL)}
        {bar(p.anomalous, ANOMALOUS)}
        <line x1={4} x2={W - 4} y1={h - 14} y2={h - 14} stroke="#cbd5e1" />
        {p.marker && lo !== undefined && hi !== undefined && hi > lo ? (
          <g>
            <line
              x1={4 + ((p.marker.value - lo) / (hi - lo)) * (W - 8)}
              x2={4 + ((p.marker.value - lo) / (hi - lo)) * (W - 8)}
              y1={2}
              y2={h - 14}
              stroke="#0f172a"
              strokeDasharray="3 2"
            />
            <text x={Math.min(W - 4, 8 + ((p.marker.value - lo) / (hi - lo)) * (W - 8))} y={10} className="axis" textAnchor={p.marker.value > (lo + hi) / 2 ? 'end' : 'start'}>
              {p.marker.label}
            </text>
          </g>
        ) : null}
        <text x={4} y={h - 3} className="axis">{lo !== undefined ? fmt(lo) : ''}</text>
        <text x={W - 4} y={h - 3} className="axis" textAnchor="end">{hi !== undefined ? fmt(hi) : ''}</text>
      </svg>
    </figure>
  );
}

function RocPreview({ p }: { p: Extract<Preview, { kind: 'roc' }> }) {
  const s = 112;
  const pad = 6;
  const pts = p.curve.fpr
    .map((f, i) => `${(pad + f * (s - 2 * pad)).toFixed(1)},${(s - pad - (p.curve.tpr[i] ?? 0) * (s - 2 * pad)).toFixed(1)}`)
    .join(' ');
  const wrongWay = p.auroc < 0.5 || p.flippedHint;
  const t = useT();
  return (
    <figure className="pv pv-roc" data-testid="preview-roc">
      <div className="roc-row">
        <svg width={s} height={s} className="chart" role="img" aria-label={t('pv.rocAria', { auc: p.auroc.toFixed(3) })}>
          <rect x={pad} y={pad} width={s - 2 * pad} height={s - 2 * pad} fill="none" stroke="#cbd5e1" />
          <line x1={pad} y1={s - pad} x2={s - pad} y2={pad} stroke="#cbd5e1" strokeDasharray="3 3" />
          <polyline points={pts} fill="none" stroke="#2563eb" strokeWidth={2} />
          <text x={s - pad - 2} y={s - pad - 3} className="axis" textAnchor="end">{t('pv.fprAxis')}</text>
          <text x={pad + 3} y={pad + 10} className="axis">{t('pv.tprAxis')}</text>
        </svg>
        <div className="roc-stats">
          <div className="auc" data-testid="auc" data-value={p.auroc}>
            AUC {p.auroc.toFixed(3)}
          </div>
          <div className="muted">AP {p.ap.toFixed(3)}</div>
          <div className="muted">{t('pv.counts', { normal: p.nNormal, anomalous: p.nAnomalous })}</div>
        </div>
      </div>
      {wrongWay ? (
        <p className="roc-note" data-testid="auc-wrong-way">
          {t('pv.wrongWay')}
        </p>
      ) : null}
    </figure>
  );
}

function ConfusionPreview({ p }: { p: Extract<Preview, { kind: 'confusion' }> }) {
  const t = useT();
  const lang = useLangValue();
  const thresholdDef = getDefinition('threshold');
  const method = thresholdDef ? optionLabel(thresholdDef, 'method', p.method, lang) : p.method;
  return (
    <figure className="pv" data-testid="preview-confusion">
      <figcaption>
        {t('pv.confusionAt', { value: fmt(p.value) })} <span className="muted">({method})</span>
      </figcaption>
      <ConfusionTable counts={p} className="confusion" />
      <div className="muted">
        {t('pv.rates', { sensitivity: pct(p.sensitivity), specificity: pct(p.specificity), precision: pct(p.precision), f1: p.f1.toFixed(3) })}
      </div>
    </figure>
  );
}

const curveColors = ['#2563eb', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#14b8a6', '#64748b'];

function RocComparePreview({ p }: { p: Extract<Preview, { kind: 'roc-compare' }> }) {
  const s = 112;
  const pad = 6;
  const t = useT();
  const line = (fpr: number[], tpr: number[]) =>
    fpr.map((f, i) => `${(pad + f * (s - 2 * pad)).toFixed(1)},${(s - pad - (tpr[i] ?? 0) * (s - 2 * pad)).toFixed(1)}`).join(' ');
  return (
    <figure className="pv" data-testid="preview-roc-compare">
      <div className="roc-row">
        <svg width={s} height={s} className="chart" role="img" aria-label={t('pv.rocCurves')}>
          <rect x={pad} y={pad} width={s - 2 * pad} height={s - 2 * pad} fill="none" stroke="#cbd5e1" />
          <line x1={pad} y1={s - pad} x2={s - pad} y2={pad} stroke="#cbd5e1" strokeDasharray="3 3" />
          {p.curves.map((c, i) => (
            <polyline key={c.scorer} points={line(c.fpr, c.tpr)} fill="none" stroke={curveColors[i % curveColors.length]} strokeWidth={1.75} />
          ))}
        </svg>
        <div className="roc-stats">
          {p.curves.map((c, i) => (
            <div key={c.scorer} className="curve-row" data-testid="auc" data-value={c.auroc}>
              <i style={{ background: curveColors[i % curveColors.length] }} />
              {c.scorer}: <b>AUC {c.auroc.toFixed(3)}</b>
              {c.flipped ? <span className="text-warn">{t('pv.pointsWrongWay')}</span> : null}
            </div>
          ))}
          <div className="muted">{t('pv.counts', { normal: p.nNormal, anomalous: p.nAnomalous })}</div>
        </div>
      </div>
      {p.curves.some((c) => c.flipped) ? (
        <p className="roc-note" data-testid="auc-wrong-way">
          {t('pv.wrongWayFor', { names: p.curves.filter((c) => c.flipped).map((c) => c.scorer).join(', ') })}
        </p>
      ) : null}
    </figure>
  );
}

function ScatterPreview({ p }: { p: Extract<Preview, { kind: 'scatter' }> }) {
  const h = 140;
  const title = previewTitle(p.title, useLangValue());
  if (p.points.length === 0) return null;
  const xs = p.points.map((q) => q.x);
  const ys = p.points.map((q) => q.y);
  if (p.circle) {
    xs.push(p.circle.cx - p.circle.r, p.circle.cx + p.circle.r);
    ys.push(p.circle.cy - p.circle.r, p.circle.cy + p.circle.r);
  }
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // One scale for both axes, so a circle stays a circle.
  const k = Math.min((W - 12) / (x1 - x0 || 1), (h - 12) / (y1 - y0 || 1));
  const X = (x: number) => 6 + (x - x0) * k;
  const Y = (y: number) => h - 6 - (y - y0) * k;
  return (
    <figure className="pv" data-testid="preview-scatter">
      <figcaption>
        {title}{' '}
        <LabelLegend />
      </figcaption>
      <svg width={W} height={h} className="chart" role="img" aria-label={title}>
        {p.circle ? <circle cx={X(p.circle.cx)} cy={Y(p.circle.cy)} r={p.circle.r * k} fill="none" stroke="#0f172a" strokeDasharray="4 3" /> : null}
        {p.points.map((q, i) => (
          <circle key={i} cx={X(q.x)} cy={Y(q.y)} r={2.5} fill={labelColor(q.label)} fillOpacity={0.75} />
        ))}
      </svg>
    </figure>
  );
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : '–');

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 10000)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/** The colour key shared by the histogram and scatter previews. */
function LabelLegend() {
  const t = useT();
  return (
    <span className="legend">
      <i style={{ background: NORMAL }} /> {t('label.normal')} <i style={{ background: ANOMALOUS }} /> {t('label.anomalous')}
    </span>
  );
}

/** Opens the linked evaluation view (histogram + ROC + threshold + confusion matrix) for a scorer's raw scores. */
function ExploreThreshold({ p, nodeId }: { p: Extract<Preview, { kind: 'scores' }>; nodeId: string }) {
  const [open, setOpen] = useState(false);
  const t = useT();
  return (
    <div className="pv pv-explore">
      <button type="button" className="button button--small" onClick={() => setOpen(true)} data-testid="explore-threshold">
        {t('pv.exploreThreshold')}
      </button>
      {open ? <EvaluationView p={p} nodeId={nodeId} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function TextPreview({ lines }: { lines: string[] }) {
  const lang = useLangValue();
  return (
    <div className="pv pv-text">
      {lines.map((l, i) => (
        <div key={i}>{runMessageText(l, lang)}</div>
      ))}
    </div>
  );
}
