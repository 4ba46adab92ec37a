/**
 * Renderers for the Preview union that kernels send (see graph-nodes/core/preview.ts).
 * Everything is drawn from plain numbers: SVG for curves, canvas/ImageData for thumbnails.
 */
'use client';
import { useEffect, useRef } from 'react';
import type { NodePreview, Preview, PreviewImage } from '../../graph-nodes/core/preview';

const W = 232;
const NORMAL = '#0ea5e9';
const ANOMALOUS = '#ef4444';
const UNKNOWN = '#94a3b8';

const labelColor = (label: number) => (label === 0 ? NORMAL : label === 1 ? ANOMALOUS : UNKNOWN);
const labelName = (label: number) => (label === 0 ? 'normal' : label === 1 ? 'anomalous' : 'unlabelled');

export function Previews({ previews }: { previews: NodePreview | undefined }) {
  if (!previews || previews.length === 0) return null;
  return (
    <div className="previews nodrag" data-testid="previews">
      {previews.map((p, i) => (
        <PreviewView key={i} preview={p} />
      ))}
    </div>
  );
}

function PreviewView({ preview }: { preview: Preview }) {
  switch (preview.kind) {
    case 'images':
      return <ImagesPreview title={preview.title} total={preview.total} images={preview.images} />;
    case 'loss':
      return <LossPreview epochs={preview.epochs} values={preview.values} />;
    case 'histogram':
      return <HistogramPreview p={preview} />;
    case 'roc':
      return <RocPreview p={preview} />;
    case 'text':
      return (
        <div className="pv pv-text">
          {preview.lines.map((l, i) => (
            <div key={i}>{l}</div>
          ))}
        </div>
      );
  }
}

function ImagesPreview({ title, total, images }: { title: string; total: number; images: PreviewImage[] }) {
  const shown = images.slice(0, 10);
  return (
    <figure className="pv pv-images" data-testid="preview-images">
      <figcaption>
        {title} <span className="muted">({shown.length} of {total})</span>
      </figcaption>
      <div className="thumbs">
        {shown.map((img, i) => (
          <Thumb key={i} img={img} />
        ))}
      </div>
    </figure>
  );
}

function Thumb({ img }: { img: PreviewImage }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || img.rgba.length !== img.width * img.height * 4) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
  }, [img]);
  return (
    <canvas
      ref={ref}
      width={img.width}
      height={img.height}
      className="thumb"
      style={{ borderColor: labelColor(img.label) }}
      title={`${img.name} (${labelName(img.label)})${img.caption ? ` ${img.caption}` : ''}`}
    />
  );
}

function LossPreview({ epochs, values }: { epochs: number; values: number[] }) {
  const h = 64;
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
        Training loss <span className="muted">{fmt(last)} after {values.length}/{epochs} epochs</span>
      </figcaption>
      <svg width={W} height={h} className="chart" role="img" aria-label={`loss curve, last ${fmt(last)}`}>
        <polyline points={pts} fill="none" stroke="#334155" strokeWidth={1.5} />
      </svg>
    </figure>
  );
}

function HistogramPreview({ p }: { p: Extract<Preview, { kind: 'histogram' }> }) {
  const h = 64;
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
        {p.title}{' '}
        <span className="legend">
          <i style={{ background: NORMAL }} /> normal <i style={{ background: ANOMALOUS }} /> anomalous
        </span>
      </figcaption>
      <svg width={W} height={h} className="chart" role="img" aria-label={p.title}>
        {bar(p.unknown, UNKNOWN)}
        {bar(p.normal, NORMAL)}
        {bar(p.anomalous, ANOMALOUS)}
        <line x1={4} x2={W - 4} y1={h - 14} y2={h - 14} stroke="#cbd5e1" />
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
  return (
    <figure className="pv pv-roc" data-testid="preview-roc">
      <div className="roc-row">
        <svg width={s} height={s} className="chart" role="img" aria-label={`ROC curve, AUC ${p.auroc.toFixed(3)}`}>
          <rect x={pad} y={pad} width={s - 2 * pad} height={s - 2 * pad} fill="none" stroke="#cbd5e1" />
          <line x1={pad} y1={s - pad} x2={s - pad} y2={pad} stroke="#cbd5e1" strokeDasharray="3 3" />
          <polyline points={pts} fill="none" stroke="#2563eb" strokeWidth={2} />
        </svg>
        <div className="roc-stats">
          <div className="auc" data-testid="auc" data-value={p.auroc}>
            AUC {p.auroc.toFixed(3)}
          </div>
          <div className="muted">AP {p.ap.toFixed(3)}</div>
          <div className="muted">
            {p.nNormal} normal · {p.nAnomalous} anomalous
          </div>
          <div className="muted small">x: false positive rate, y: true positive rate</div>
        </div>
      </div>
      {wrongWay ? (
        <p className="roc-note" data-testid="auc-wrong-way">
          Scores point the wrong way (AUC below 0.5): anomalous images score lower than normal ones.
        </p>
      ) : null}
    </figure>
  );
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 10000)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}
