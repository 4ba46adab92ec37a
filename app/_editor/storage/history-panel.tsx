/**
 * History: the open pipeline's revisions, newest first. Selecting one previews it on a read-only canvas with
 * the differences from another revision (by default the one before it) highlighted: added nodes green, removed
 * ones ghosted red, changed ones amber with their changed params marked. "Restore" makes it the newest revision.
 */
'use client';
import { useEffect, useMemo, useState } from 'react';
import { t as tNow, useT } from '../../_i18n/translate';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { api, describeFailure } from './client';
import { Dialog } from './copy-field';
import { diffDocs } from './diff';
import { DocCanvas } from './doc-canvas';
import { adoptRevision, saveNow, useStorage } from './sync';

type Rev = { number: number; message: string; auto: boolean; createdAt: number };

export function HistoryPanel({ onClose }: { onClose(): void }) {
  const open = useStorage((s) => s.open);
  const status = useStorage((s) => s.status);
  const locks = useStorage((s) => s.locks);
  const [revs, setRevs] = useState<Rev[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [compareTo, setCompareTo] = useState<number | null>(null);
  const [docs, setDocs] = useState<Record<number, PipelineDoc>>({});
  const [error, setError] = useState<string | null>(null);
  const t = useT();

  useEffect(() => {
    if (!open) return;
    let live = true;
    // Unsaved edits first, so the list ends with what is on the canvas.
    const ready = status === 'dirty' ? saveNow() : Promise.resolve();
    void ready
      .then(() => api.pipelines.history.query({ key: open.key }))
      .then((h) => {
        if (!live) return;
        setRevs(h.revisions);
        setSelected(h.revisions[0]?.number ?? null);
        setCompareTo(h.revisions[1]?.number ?? null);
      })
      .catch((err) => live && setError(describeFailure(err, tNow('storage.doing.history')).text));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per opened pipeline
  }, [open?.key]);

  useEffect(() => {
    if (!open) return;
    for (const n of [selected, compareTo]) {
      if (n === null || docs[n]) continue;
      api.pipelines.revision
        .query({ key: open.key, number: n })
        .then((r) => setDocs((d) => ({ ...d, [n]: r.doc })))
        .catch((err) => setError(describeFailure(err, tNow('storage.doing.revision', { number: n })).text));
    }
  }, [open, selected, compareTo, docs]);

  const shown = selected !== null ? docs[selected] : undefined;
  const base = compareTo !== null ? docs[compareTo] : undefined;
  const diff = useMemo(() => (shown && base ? diffDocs(base, shown) : undefined), [shown, base]);

  const restore = async () => {
    if (!open || selected === null) return;
    try {
      const r = await api.pipelines.restoreRevision.mutate({ key: open.key, number: selected, baseRevision: open.revision });
      adoptRevision(r.doc, r.revision);
      onClose();
    } catch (err) {
      const f = describeFailure(err, t('storage.doing.restore'));
      setError([f.text, ...f.details].join(' '));
    }
  };

  return (
    <Dialog title={t('storage.historyTitle')} onClose={onClose} wide testId="history-panel">
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="history">
        <div>
          <label className="field small">
            <span className="field-name">{t('storage.compareWith')}</span>
            <select value={compareTo ?? ''} onChange={(e) => setCompareTo(e.target.value ? Number(e.target.value) : null)} data-testid="history-compare">
              <option value="">{t('storage.nothing')}</option>
              {revs?.map((r) => (
                <option key={r.number} value={r.number}>
                  {t('storage.revision', { number: r.number })}
                </option>
              ))}
            </select>
          </label>
          <ul className="history-list" data-testid="history-list">
            {revs?.map((r) => (
              <li
                key={r.number}
                className={`${r.number === selected ? 'is-selected' : ''} ${r.number === compareTo ? 'is-compare' : ''}`}
                onClick={() => {
                  setSelected(r.number);
                  // Default comparison: the revision just before the one shown.
                  setCompareTo(revs.find((x) => x.number < r.number)?.number ?? null);
                }}
                data-testid={`history-rev-${r.number}`}
              >
                <strong>#{r.number}</strong> {r.message}
                <div className="muted small">{new Date(r.createdAt).toLocaleString()}</div>
              </li>
            ))}
          </ul>
        </div>
        <div>
          {diff ? (
            <div className="diff-legend" data-testid="diff-summary">
              <span className="dn--added">{t('storage.diffAdded', { n: Object.values(diff.nodes).filter((d) => d.change === 'added').length })}</span>
              <span className="dn--removed">{t('storage.diffRemoved', { n: Object.values(diff.nodes).filter((d) => d.change === 'removed').length })}</span>
              <span className="dn--changed">{t('storage.diffChanged', { n: Object.values(diff.nodes).filter((d) => d.change === 'changed').length })}</span>
              <span>{t('storage.diffEdges', { added: diff.edgesAdded.length, removed: diff.edgesRemoved.length })}</span>
              {diff.renamed ? <span>{t('storage.diffRenamed')}</span> : null}
            </div>
          ) : null}
          {shown ? <DocCanvas doc={shown} diff={diff} removedFrom={base} locks={locks} testId="history-canvas" /> : <p className="muted">{t('storage.selectRevision')}</p>}
          <div className="modal-actions">
            <button type="button" className="button button--primary" disabled={!shown || selected === open?.revision} onClick={() => void restore()} data-testid="history-restore">
              {t('storage.restoreRevision', { number: selected ?? '' })}
            </button>
          </div>
        </div>
      </div>
    </Dialog>
  );
}
