/**
 * Previews as standalone SVG documents (strings): loss curve, score histogram, ROC, ROC comparison, scatter.
 * Used for the HTML report (inline) and the plot downloads (SVG, or PNG rasterised by the browser). Pure: no DOM,
 * no tfjs. Every text is XML-escaped, so names and titles from a pipeline cannot inject markup.
 */
import type { Preview } from './preview';

export const PLOT_WIDTH = 420;
export const PLOT_HEIGHT = 280;
const M = { left: 52, right: 14, top: 30, bottom: 40 };
const NORMAL = '#0ea5e9';
const ANOMALOUS = '#ef4444';
const UNKNOWN = '#94a3b8';
const SERIES = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Preview kinds that have a plot. */
export type PlotPreview = Extract<Preview, { kind: 'loss' | 'histogram' | 'roc' | 'roc-compare' | 'scatter' }>;
export const isPlot = (p: Preview): p is PlotPreview => ['loss', 'histogram', 'roc', 'roc-compare', 'scatter'].includes(p.kind);

/** Short number for tick labels and legends. */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

type Range = [number, number];

function ticks([lo, hi]: Range, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

/** Axes, ticks and titles around `body`, which draws in data coordinates through `x`/`y`. */
function frame(title: string, xLabel: string, yLabel: string, xr: Range, yr: Range, body: (x: (v: number) => number, y: (v: number) => number) => string, legend = ''): string {
  const w = PLOT_WIDTH - M.left - M.right;
  const h = PLOT_HEIGHT - M.top - M.bottom;
  const span = (r: Range) => (r[1] - r[0] || 1);
  const x = (v: number) => M.left + ((v - xr[0]) / span(xr)) * w;
  const y = (v: number) => M.top + h - ((v - yr[0]) / span(yr)) * h;
  const xt = ticks(xr)
    .map((t) => `<line x1="${x(t).toFixed(1)}" y1="${M.top + h}" x2="${x(t).toFixed(1)}" y2="${M.top + h + 4}" stroke="#64748b"/><text x="${x(t).toFixed(1)}" y="${M.top + h + 16}" text-anchor="middle">${escapeXml(fmtNum(t))}</text>`)
    .join('');
  const yt = ticks(yr)
    .map((t) => `<line x1="${M.left - 4}" y1="${y(t).toFixed(1)}" x2="${M.left}" y2="${y(t).toFixed(1)}" stroke="#64748b"/><text x="${M.left - 6}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end">${escapeXml(fmtNum(t))}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PLOT_WIDTH}" height="${PLOT_HEIGHT}" viewBox="0 0 ${PLOT_WIDTH} ${PLOT_HEIGHT}" font-family="sans-serif" font-size="10" fill="#0f172a">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${PLOT_WIDTH / 2}" y="18" text-anchor="middle" font-size="12" font-weight="bold">${escapeXml(title)}</text>` +
    `<g>${body(x, y)}</g>` +
    `<rect x="${M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#64748b"/>${xt}${yt}` +
    `<text x="${M.left + w / 2}" y="${PLOT_HEIGHT - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>` +
    `<text transform="translate(12 ${M.top + h / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>` +
    legend +
    `</svg>`
  );
}

/** Legend in the top-left corner, or the bottom-right one (ROC curves run through the top left). */
function legendBox(items: { color: string; text: string }[], corner: 'top-left' | 'top-right' | 'bottom-right' = 'top-left'): string {
  const x0 = corner === 'top-left' ? M.left + 8 : corner === 'top-right' ? PLOT_WIDTH - M.right - 110 : PLOT_WIDTH - M.right - 170;
  const y0 = corner === 'top-left' ? M.top + 6 : PLOT_HEIGHT - M.bottom - 8 - items.length * 13;
  return items
    .map((it, i) => `<rect x="${x0}" y="${y0 + i * 13}" width="9" height="9" fill="${it.color}"/><text x="${x0 + 13}" y="${y0 + 8 + i * 13}">${escapeXml(it.text)}</text>`)
    .join('');
}

const finite = (vs: number[]) => vs.filter(Number.isFinite);
const polyline = (pts: [number, number][], color: string, width = 1.8) =>
  `<polyline fill="none" stroke="${color}" stroke-width="${width}" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`;

function lossSvg(p: Extract<Preview, { kind: 'loss' }>): string {
  const vals = finite(p.values);
  const lo = vals.length ? Math.min(...vals) : 0;
  const hi = vals.length ? Math.max(...vals) : 1;
  const n = Math.max(p.epochs, p.values.length, 2);
  return frame('Training loss', 'epoch', 'loss', [1, n], [lo, hi > lo ? hi : lo + 1], (x, y) =>
    polyline(p.values.flatMap((v, i) => (Number.isFinite(v) ? [[x(i + 1), y(v)] as [number, number]] : [])), '#334155'),
  );
}

function histogramSvg(p: Extract<Preview, { kind: 'histogram' }>): string {
  const bins = p.normal.length;
  const lo = p.edges[0] ?? 0;
  const hi = p.edges[bins] ?? 1;
  const top = Math.max(1, ...p.normal.map((c, i) => c + (p.anomalous[i] ?? 0) + (p.unknown[i] ?? 0)));
  const legend = legendBox([
    { color: NORMAL, text: `normal (${p.normal.reduce((a, b) => a + b, 0)})` },
    { color: ANOMALOUS, text: `anomalous (${p.anomalous.reduce((a, b) => a + b, 0)})` },
    ...(p.unknown.some((c) => c > 0) ? [{ color: UNKNOWN, text: `unlabelled (${p.unknown.reduce((a, b) => a + b, 0)})` }] : []),
  ], 'top-right');
  return frame(p.title, 'score', 'images', [lo, hi > lo ? hi : lo + 1], [0, top], (x, y) => {
    let out = '';
    for (let b = 0; b < bins; b++) {
      const x0 = x(p.edges[b]!);
      const x1 = x(p.edges[b + 1]!);
      let base = 0;
      for (const [count, color] of [[p.normal[b] ?? 0, NORMAL], [p.anomalous[b] ?? 0, ANOMALOUS], [p.unknown[b] ?? 0, UNKNOWN]] as const) {
        if (count > 0) out += `<rect x="${x0.toFixed(1)}" y="${y(base + count).toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 0.5).toFixed(1)}" height="${(y(base) - y(base + count)).toFixed(1)}" fill="${color}" fill-opacity="0.8"/>`;
        base += count;
      }
    }
    if (p.marker && Number.isFinite(p.marker.value)) {
      const mx = x(p.marker.value).toFixed(1);
      // Label inside the plot, beside the line, so it never runs into the title.
      out += `<line x1="${mx}" y1="${y(top)}" x2="${mx}" y2="${y(0)}" stroke="#0f172a" stroke-dasharray="4 3"/><text x="${(Number(mx) + 3).toFixed(1)}" y="${y(top) + 10}">${escapeXml(p.marker.label)}</text>`;
    }
    return out;
  }, legend);
}

function rocSvg(title: string, curves: { name: string; fpr: number[]; tpr: number[] }[]): string {
  const legend = legendBox(curves.map((c, i) => ({ color: SERIES[i % SERIES.length]!, text: c.name })).slice(0, 8), 'bottom-right');
  return frame(title, 'false positive rate', 'true positive rate', [0, 1], [0, 1], (x, y) =>
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#cbd5e1" stroke-dasharray="3 3"/>` +
    curves.map((c, i) => polyline(c.fpr.map((f, k) => [x(f), y(c.tpr[k] ?? 0)] as [number, number]), SERIES[i % SERIES.length]!)).join(''),
  legend);
}

function scatterSvg(p: Extract<Preview, { kind: 'scatter' }>): string {
  const xs = finite(p.points.map((q) => q.x));
  const ys = finite(p.points.map((q) => q.y));
  const c = p.circle;
  const xr: Range = [Math.min(...xs, c ? c.cx - c.r : Infinity), Math.max(...xs, c ? c.cx + c.r : -Infinity)];
  const yr: Range = [Math.min(...ys, c ? c.cy - c.r : Infinity), Math.max(...ys, c ? c.cy + c.r : -Infinity)];
  const safe = (r: Range): Range => (Number.isFinite(r[0]) && Number.isFinite(r[1]) ? (r[1] > r[0] ? r : [r[0] - 1, r[0] + 1]) : [0, 1]);
  const color = (l: number) => (l === 0 ? NORMAL : l === 1 ? ANOMALOUS : UNKNOWN);
  return frame(p.title, 'x', 'y', safe(xr), safe(yr), (x, y) => {
    let out = p.points.map((q) => `<circle cx="${x(q.x).toFixed(1)}" cy="${y(q.y).toFixed(1)}" r="2.5" fill="${color(q.label)}" fill-opacity="0.8"/>`).join('');
    if (c) out += `<ellipse cx="${x(c.cx).toFixed(1)}" cy="${y(c.cy).toFixed(1)}" rx="${Math.abs(x(c.cx + c.r) - x(c.cx)).toFixed(1)}" ry="${Math.abs(y(c.cy + c.r) - y(c.cy)).toFixed(1)}" fill="none" stroke="#0f172a" stroke-dasharray="4 3"/>`;
    return out;
  }, legendBox([{ color: NORMAL, text: 'normal' }, { color: ANOMALOUS, text: 'anomalous' }]));
}

/** A standalone SVG document for a plot preview. */
export function plotSvg(p: PlotPreview): string {
  switch (p.kind) {
    case 'loss':
      return lossSvg(p);
    case 'histogram':
      return histogramSvg(p);
    case 'roc':
      return rocSvg(`ROC (AUROC ${fmtNum(p.auroc)}, AP ${fmtNum(p.ap)}; ${p.nNormal} normal, ${p.nAnomalous} anomalous)`, [
        { name: `AUROC ${p.auroc.toFixed(3)}`, fpr: p.curve.fpr, tpr: p.curve.tpr },
      ]);
    case 'roc-compare':
      return rocSvg(`ROC comparison (${p.nNormal} normal, ${p.nAnomalous} anomalous)`, p.curves.map((c) => ({ name: `${c.scorer}: ${c.auroc.toFixed(3)}${c.flipped ? ' (flipped?)' : ''}`, fpr: c.fpr, tpr: c.tpr })));
    case 'scatter':
      return scatterSvg(p);
  }
}

/** A file-name-friendly name for a plot of a node, e.g. "roc-roc.svg". */
export function plotFileName(nodeId: string, p: PlotPreview, index: number, ext: 'svg' | 'png'): string {
  return `${nodeId}-${p.kind}${index > 0 ? `-${index + 1}` : ''}.${ext}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}
