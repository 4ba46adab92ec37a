/**
 * Two runs side by side: per evaluator the AUROC / AP of run A and run B with the change, their ROC curves
 * overlaid (A solid, B dashed), and what differed between the two pipelines (nodes, parameters, connections) —
 * so a student sees what swapping raw pixels for latent codes, or residual max for PaDiM, did.
 */
'use client';
import { useEffect, useMemo, useState } from 'react';
import { parseParams } from '../../graph-nodes/core/define-node';
import { getDefinition } from '../../graph-nodes/registry';
import { t, useT } from '../_i18n/translate';
import { type RecordedRun, loadRunHistory, useRunHistory } from './run-history';
import { diffDocs } from './storage/diff';
import { Modal } from './modal';

const A = '#2563eb';
const B = '#db2777';
const S = 150;
const P = 14;

const runLabel = (r: RecordedRun) => `#${r.no} · ${r.doc.name} · ${new Date(r.finishedAt).toLocaleTimeString()}`;
const num = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(3));

/** Lines saying what changed from pipeline A to pipeline B. */
function changes(a: RecordedRun, b: RecordedRun): string[] {
  const d = diffDocs(a.doc, b.doc);
  if (d.same) return [t('compare.same')];
  const out: string[] = [];
  const nodeOf = (doc: RecordedRun['doc'], id: string) => doc.nodes.find((n) => n.id === id);
  // Parameter values with defaults filled in, as the run used them.
  const paramOf = (doc: RecordedRun['doc'], id: string, key: string) => {
    const n = nodeOf(doc, id);
    const def = n ? getDefinition(n.type) : undefined;
    const parsed = n && def ? parseParams(def, n.params) : null;
    return parsed?.ok ? parsed.params[key] : n?.params[key];
  };
  for (const n of Object.values(d.nodes)) {
    if (n.change === 'added') out.push(t('compare.added', { node: n.id, type: nodeOf(b.doc, n.id)?.type ?? '?' }));
    if (n.change === 'removed') out.push(t('compare.removed', { node: n.id, type: nodeOf(a.doc, n.id)?.type ?? '?' }));
    if (n.change === 'changed') {
      for (const p of n.changedParams) {
        out.push(`${n.id}.${p}: ${JSON.stringify(paramOf(a.doc, n.id, p))} → ${JSON.stringify(paramOf(b.doc, n.id, p))}`);
      }
      if (n.labelChanged) out.push(t('compare.relabelled', { node: n.id }));
    }
  }
  for (const e of d.edgesAdded) out.push(t('compare.connected', { edge: e }));
  for (const e of d.edgesRemoved) out.push(t('compare.disconnected', { edge: e }));
  if (d.renamed) out.push(t('compare.renamed', { from: a.doc.name, to: b.doc.name }));
  return out;
}

function RocPair({ a, b }: { a?: { fpr: number[]; tpr: number[] }; b?: { fpr: number[]; tpr: number[] } }) {
  const pts = (c: { fpr: number[]; tpr: number[] }) => c.fpr.map((f, i) => `${P + f * (S - 2 * P)},${S - P - c.tpr[i]! * (S - 2 * P)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${S} ${S}`} className="compare-roc" role="img" aria-label={t('compare.rocAria')}>
      <rect x={P} y={P} width={S - 2 * P} height={S - 2 * P} fill="none" stroke="#cbd5e1" />
      <line x1={P} y1={S - P} x2={S - P} y2={P} stroke="#cbd5e1" strokeDasharray="3 3" />
      {a ? <polyline points={pts(a)} fill="none" stroke={A} strokeWidth={2} /> : null}
      {b ? <polyline points={pts(b)} fill="none" stroke={B} strokeWidth={2} strokeDasharray="5 3" /> : null}
    </svg>
  );
}

function RunPicker(p: { name: 'A' | 'B'; color: string; runs: RecordedRun[]; value: number; onChange(no: number): void }) {
  return (
    <label>
      <span style={{ color: p.color }}>{p.name}</span>{' '}
      <select value={p.value} onChange={(e) => p.onChange(Number(e.target.value))} data-testid={`compare-${p.name.toLowerCase()}`}>
        {p.runs.map((r) => (
          <option key={r.no} value={r.no}>
            {runLabel(r)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CompareRuns({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const runs = useRunHistory((s) => s.runs);
  useEffect(loadRunHistory, []);
  const [aNo, setANo] = useState<number | null>(null);
  const [bNo, setBNo] = useState<number | null>(null);
  // Default: the run before the latest (A) against the latest (B).
  const b = runs.find((r) => r.no === bNo) ?? runs[0];
  const a = runs.find((r) => r.no === aNo) ?? runs.find((r) => r !== b);
  const evaluators = useMemo(() => [...new Set([...Object.keys(a?.metrics ?? {}), ...Object.keys(b?.metrics ?? {})])].sort(), [a, b]);

  return (
    <Modal className="compare-runs" labelledBy="compare-title" testId="compare-runs" onClose={onClose}>
      <h2 id="compare-title">{tr('compare.title')}</h2>
      {runs.length < 2 || !a || !b ? (
        <p className="muted">{tr('compare.needTwo')}</p>
      ) : (
        <>
          <div className="compare-pick">
            <RunPicker name="A" color={A} runs={runs} value={a.no} onChange={setANo} />
            <RunPicker name="B" color={B} runs={runs} value={b.no} onChange={setBNo} />
          </div>
          <div className="compare-grid">
            {evaluators.map((id) => {
              const ma = a.metrics[id];
              const mb = b.metrics[id];
              const delta = ma && mb ? mb.auroc - ma.auroc : NaN;
              return (
                <figure key={id} className="compare-card" data-testid={`compare-${id}`}>
                  <figcaption>
                    <code>{id}</code> <span className="muted">{mb?.scorer ?? ma?.scorer}</span>
                  </figcaption>
                  <RocPair a={ma?.roc} b={mb?.roc} />
                  <table className="compare-table">
                    <tbody>
                      <tr>
                        <th scope="row">AUROC</th>
                        <td style={{ color: A }} data-testid={`compare-${id}-a`}>{num(ma?.auroc)}</td>
                        <td style={{ color: B }} data-testid={`compare-${id}-b`}>{num(mb?.auroc)}</td>
                        <td className={delta > 0 ? 'up' : delta < 0 ? 'down' : ''} data-testid={`compare-${id}-delta`}>
                          {Number.isNaN(delta) ? '' : `${delta >= 0 ? '+' : ''}${delta.toFixed(3)}`}
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">AP</th>
                        <td style={{ color: A }}>{num(ma?.ap)}</td>
                        <td style={{ color: B }}>{num(mb?.ap)}</td>
                        <td />
                      </tr>
                    </tbody>
                  </table>
                </figure>
              );
            })}
          </div>
          <h3 className="compare-h3">{tr('compare.changes')}</h3>
          <ul className="compare-changes" data-testid="compare-changes">
            {changes(a, b).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      <div className="modal-actions">
        <button type="button" className="button button--primary" onClick={onClose} autoFocus>
          {tr('common.close')}
        </button>
      </div>
    </Modal>
  );
}
