/**
 * The HTML report of a run: one self-contained file (no scripts, no external resources) with the pipeline as an
 * SVG picture of its nodes and edges, the run facts, the metrics, every node's parameters, the data manifest, and
 * each node's plots (inline SVG from plot-svg.ts) and example images (PNG data URLs). Built from plain data — the
 * document, per-node previews and metrics — so the CLI and the app produce the same report. All text from the
 * pipeline (names, labels, notes, file names) is HTML-escaped.
 */
import { encode as encodePng } from 'fast-png';
import { type DataManifest, describeManifest } from './data-manifest';
import type { PipelineDoc } from './pipeline-schema';
import { escapeXml, fmtNum, isPlot, plotSvg } from './plot-svg';
import type { NodePreview, PreviewImage, ThresholdDecision } from './preview';

export type ReportNode = {
  status: string;
  seconds?: number;
  preview?: NodePreview;
  warnings?: string[];
  error?: { message: string; hint?: string };
};

export type ReportMetrics = {
  scorer: string;
  auroc: number;
  ap: number;
  nNormal: number;
  nAnomalous: number;
  threshold?: ThresholdDecision;
  pixel?: { auroc: number; pro: number };
};

export type ReportInput = {
  doc: PipelineDoc;
  nodes: Record<string, ReportNode>;
  /** Keyed by evaluator node id. */
  metrics: Record<string, ReportMetrics>;
  run: { status: string; backend?: string; seconds?: number; finishedAt: string; by: string };
  manifest?: DataManifest | null;
};

const esc = escapeXml;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (works the same in Node and the browser, without Buffer or btoa). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

/** An RGBA preview image as a PNG data URL. */
export function pngDataUrl(img: PreviewImage): string {
  const png = encodePng({ width: img.width, height: img.height, data: new Uint8Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength), channels: 4, depth: 8 });
  return `data:image/png;base64,${base64(png)}`;
}

const NODE_W = 190;
const NODE_H = 54;

/** The pipeline as an SVG: a box per node at its canvas position, a curve per edge (output right → input left). */
export function pipelineSvg(doc: PipelineDoc, statuses: Record<string, string> = {}): string {
  if (doc.nodes.length === 0) return '<p>(empty pipeline)</p>';
  const xs = doc.nodes.map((n) => n.position.x);
  const ys = doc.nodes.map((n) => n.position.y);
  const x0 = Math.min(...xs) - 20;
  const y0 = Math.min(...ys) - 20;
  const width = Math.max(...xs) - x0 + NODE_W + 20;
  const height = Math.max(...ys) - y0 + NODE_H + 20;
  const at = new Map(doc.nodes.map((n) => [n.id, { x: n.position.x - x0, y: n.position.y - y0 }]));
  const color: Record<string, string> = { done: '#16a34a', cached: '#16a34a', failed: '#dc2626', skipped: '#94a3b8' };
  const edges = doc.edges
    .map((e) => {
      const s = at.get(e.source);
      const t = at.get(e.target);
      if (!s || !t) return '';
      const [sx, sy, tx, ty] = [s.x + NODE_W, s.y + NODE_H / 2, t.x, t.y + NODE_H / 2];
      const dx = Math.max(40, (tx - sx) / 2);
      return `<path d="M${sx},${sy} C${sx + dx},${sy} ${tx - dx},${ty} ${tx},${ty}" fill="none" stroke="#64748b" stroke-width="1.5"><title>${esc(`${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`)}</title></path>`;
    })
    .join('');
  const nodes = doc.nodes
    .map((n) => {
      const p = at.get(n.id)!;
      const stroke = color[statuses[n.id] ?? ''] ?? '#334155';
      return (
        `<g transform="translate(${p.x} ${p.y})"><rect width="${NODE_W}" height="${NODE_H}" rx="6" fill="#f8fafc" stroke="${stroke}" stroke-width="2"/>` +
        `<text x="10" y="22" font-weight="bold">${esc(truncate(n.label ?? n.id, 26))}</text>` +
        `<text x="10" y="40" fill="#475569">${esc(truncate(`${n.id} · ${n.type}`, 30))}</text></g>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="pipeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">${edges}${nodes}</svg>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmtMetric = (v: number | undefined) => (v === undefined ? '' : Number.isFinite(v) ? v.toFixed(4) : 'n/a');

function metricsTable(metrics: ReportInput['metrics']): string {
  const ids = Object.keys(metrics);
  if (ids.length === 0) return '<p>No evaluator produced metrics.</p>';
  const rows = ids.map((id) => {
    const m = metrics[id]!;
    const t = m.threshold;
    const thr = t ? `${fmtNum(t.value)} (${esc(t.method)}): sensitivity ${fmtMetric(t.sensitivity)}, specificity ${fmtMetric(t.specificity)}, F1 ${fmtMetric(t.f1)}` : '';
    const pixel = m.pixel ? `pixel AUROC ${fmtMetric(m.pixel.auroc)}, PRO ${fmtMetric(m.pixel.pro)}` : '';
    return `<tr><td>${esc(id)}</td><td>${esc(m.scorer)}</td><td>${fmtMetric(m.auroc)}</td><td>${fmtMetric(m.ap)}</td><td>${m.nNormal}</td><td>${m.nAnomalous}</td><td>${[thr, pixel].filter(Boolean).join('; ')}</td></tr>`;
  });
  return `<table><thead><tr><th>evaluator</th><th>scorer</th><th>AUROC</th><th>AP</th><th>normal</th><th>anomalous</th><th>threshold / pixel</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function paramsTable(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return '<p class="muted">defaults</p>';
  return `<table class="params">${entries.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('')}</table>`;
}

function previewHtml(nodeId: string, preview: NodePreview): string {
  return preview
    .map((p) => {
      if (isPlot(p)) return `<figure class="plot">${plotSvg(p)}</figure>`;
      if (p.kind === 'images') {
        const imgs = p.images
          .map((img) => {
            const label = img.label === 0 ? 'normal' : img.label === 1 ? 'anomalous' : 'unlabelled';
            return `<figure class="thumb ${label}"><img src="${pngDataUrl(img)}" width="${img.width * 2}" height="${img.height * 2}" alt="${esc(img.name)}"/><figcaption>${esc(img.name)}<br/>${esc(label)}${img.caption ? ` · ${esc(img.caption)}` : ''}</figcaption></figure>`;
          })
          .join('');
        return `<div class="images"><h4>${esc(p.title)} <span class="muted">(${p.images.length} of ${p.total})</span></h4>${imgs}</div>`;
      }
      if (p.kind === 'confusion') {
        return `<table class="confusion"><caption>Confusion at ${esc(fmtNum(p.value))} (${esc(p.method)}), ${esc(p.scorer)}</caption><tr><th></th><th>predicted anomalous</th><th>predicted normal</th></tr><tr><th>anomalous</th><td>TP ${p.tp}</td><td>FN ${p.fn}</td></tr><tr><th>normal</th><td>FP ${p.fp}</td><td>TN ${p.tn}</td></tr></table>`;
      }
      if (p.kind === 'text') return `<ul class="lines">${p.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
      return `<p class="muted">(${esc(nodeId)}: preview "${esc((p as { kind: string }).kind)}" has no report rendering)</p>`;
    })
    .join('');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#0f172a;padding:0 16px}
h1{margin-bottom:4px}h2{border-bottom:1px solid #cbd5e1;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #cbd5e1;padding:3px 8px;text-align:left;font-size:13px;vertical-align:top}
.muted{color:#64748b}.node{border:1px solid #e2e8f0;border-radius:8px;padding:8px 16px;margin:16px 0}
.failed{color:#dc2626}.warn{color:#b45309}.images figure{display:inline-block;margin:4px;text-align:center;font-size:11px;max-width:150px;word-break:break-all}
.thumb img{image-rendering:pixelated;border:2px solid #94a3b8}.thumb.normal img{border-color:#0ea5e9}.thumb.anomalous img{border-color:#ef4444}
figure.plot{display:inline-block;margin:4px}.pipeline{max-width:100%;height:auto;border:1px solid #e2e8f0;border-radius:8px}`;

/** The whole report as one HTML document. */
export function buildReport(input: ReportInput): string {
  const { doc, nodes, metrics, run, manifest } = input;
  const statuses = Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, n.status]));
  const facts = [
    `status: ${run.status}`,
    run.seconds !== undefined ? `${run.seconds.toFixed(1)} s` : '',
    run.backend ? `backend ${run.backend}` : '',
    `finished ${run.finishedAt}`,
    `by ${run.by}`,
  ].filter(Boolean);
  const sections = doc.nodes.map((n) => {
    const r = nodes[n.id];
    const status = r ? `${r.status}${r.seconds !== undefined ? `, ${r.seconds.toFixed(2)} s` : ''}` : 'not run';
    const warnings = (r?.warnings ?? []).map((w) => `<p class="warn">⚠ ${esc(w)}</p>`).join('');
    const error = r?.error ? `<p class="failed">✘ ${esc(r.error.message)}${r.error.hint ? ` <span class="muted">${esc(r.error.hint)}</span>` : ''}</p>` : '';
    return (
      `<section class="node" id="node-${esc(n.id)}"><h3>${esc(n.label ?? n.id)} <span class="muted">${esc(n.id)} · ${esc(n.type)} v${n.typeVersion} · ${esc(status)}</span></h3>` +
      `${error}${warnings}${paramsTable(n.params)}${r?.preview ? previewHtml(n.id, r.preview) : ''}</section>`
    );
  });
  const manifestHtml = manifest && manifest.imageSets.length > 0 ? `<h2>Data</h2><ul>${describeManifest(manifest).map((l) => `<li>${esc(l)}</li>`).join('')}</ul><p class="muted">Hash of ${esc(manifest.hashOf)}.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${esc(`Kizuki report: ${doc.name}`)}</title><style>${STYLE}</style></head>
<body><h1>${esc(doc.name)}</h1>
${doc.description ? `<p>${esc(doc.description)}</p>` : ''}<p class="muted">${esc(facts.join(' · '))}</p>
<h2>Pipeline</h2>${pipelineSvg(doc, statuses)}
<h2>Metrics</h2>${metricsTable(metrics)}
${manifestHtml}
<h2>Nodes</h2>${sections.join('\n')}
</body></html>
`;
}
