/**
 * Publish as template: title, notes for students, and per parameter "editable", "locked" (shown, not
 * editable) or "hidden". Publishes the newest saved revision (unsaved edits are saved first) and shows the
 * template's link, which opens a read-only preview with "Make my copy".
 */
'use client';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../_i18n/translate';
import type { LockMode, ParamLocks } from '../../../graph-nodes/core/param-locks';
import { getDefinition } from '../../../graph-nodes/registry';
import { useEditor } from '../store';
import { api, describeFailure } from './client';
import { CopyField, Dialog } from './copy-field';
import { appLink } from './links';
import { saveNow, useStorage } from './sync';

export function PublishDialog({ onClose }: { onClose(): void }) {
  const open = useStorage((s) => s.open);
  const inherited = useStorage((s) => s.locks);
  const nodes = useEditor((s) => s.nodes);
  const [title, setTitle] = useState(() => useEditor.getState().meta.name);
  const [notes, setNotes] = useState('');
  const [locks, setLocks] = useState<ParamLocks>(inherited);
  const [published, setPublished] = useState<string | null>(null);
  const [error, setError] = useState<string[] | null>(null);
  const [mine, setMine] = useState<{ id: string; title: string; createdAt: number }[]>([]);
  const t = useT();

  const loadMine = useCallback(async () => {
    if (open) setMine(await api.templates.ofPipeline.query({ key: open.key }).catch(() => []));
  }, [open]);
  useEffect(() => void loadMine(), [loadMine]);

  const unpublish = async (templateId: string) => {
    if (!open) return;
    try {
      await api.templates.unpublish.mutate({ key: open.key, templateId });
      await loadMine();
    } catch (err) {
      setError([describeFailure(err, t('storage.doing.unpublish')).text]);
    }
  };

  const setMode = (nodeId: string, param: string, mode: LockMode | '') =>
    setLocks((l) => {
      const forNode = { ...l[nodeId] };
      if (mode) forNode[param] = mode;
      else delete forNode[param];
      const next = { ...l, [nodeId]: forNode };
      if (Object.keys(forNode).length === 0) delete next[nodeId];
      return next;
    });

  const publish = async () => {
    if (!open) return;
    try {
      if (useStorage.getState().status !== 'saved') await saveNow(t('storage.msgBeforePublish'));
      const s = useStorage.getState();
      if (s.status !== 'saved' || !s.open) throw new Error(s.failure?.text ?? t('storage.notSaved'));
      const r = await api.templates.publish.mutate({ key: s.open.key, title, notes, locks });
      setPublished(appLink('template', r.templateId));
      setError(null);
      await loadMine();
    } catch (err) {
      const f = describeFailure(err, t('storage.doing.publish'));
      setError([f.text, ...f.details]);
    }
  };

  return (
    <Dialog title={t('storage.publishTitle')} onClose={onClose} wide testId="publish-dialog">
      {mine.length > 0 ? (
        <ul className="pipeline-list" data-testid="published-list">
          {mine.map((m) => (
            <li key={m.id}>
              <span className="row-name">{m.title}</span>
              <span className="muted small">{t('storage.publishedAt', { date: new Date(m.createdAt).toLocaleString() })}</span>
              <span className="row-actions">
                <button type="button" className="button button--small" onClick={() => void unpublish(m.id)} data-testid="unpublish">
                  {t('storage.unpublish')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {published ? (
        <>
          <p>{t('storage.publishedLead')}</p>
          <CopyField value={published} testId="template-link" />
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void publish();
          }}
        >
          <label className="field">
            <span className="field-name">{t('storage.title')}</span>
            <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="publish-title" />
          </label>
          <label className="field">
            <span className="field-name">{t('storage.notes')}</span>
            <textarea value={notes} maxLength={10_000} rows={4} onChange={(e) => setNotes(e.target.value)} data-testid="publish-notes" />
          </label>
          <table className="lock-table">
            <thead>
              <tr>
                <th>{t('storage.colNode')}</th>
                <th>{t('storage.colParam')}</th>
                <th>{t('storage.colStudents')}</th>
              </tr>
            </thead>
            <tbody>
              {nodes.flatMap((n) => {
                const def = getDefinition(n.data.type);
                return Object.keys(def?.params.shape ?? {}).map((param) => (
                  <tr key={`${n.id}.${param}`}>
                    <td>{n.id}</td>
                    <td>{param}</td>
                    <td>
                      <select
                        value={locks[n.id]?.[param] ?? ''}
                        disabled={inherited[n.id]?.[param] !== undefined}
                        onChange={(e) => setMode(n.id, param, e.target.value as LockMode | '')}
                        aria-label={`${n.id}.${param}`}
                        data-testid={`lock-${n.id}-${param}`}
                      >
                        <option value="">{t('storage.lockEdit')}</option>
                        <option value="locked">{t('storage.lockLocked')}</option>
                        <option value="hidden">{t('storage.lockHidden')}</option>
                      </select>
                    </td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
          {error ? (
            <ul className="text-error small" role="alert">
              {error.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          ) : null}
          <div className="modal-actions">
            <button type="submit" className="button button--primary" disabled={!title.trim()} data-testid="publish-confirm">
              {t('storage.publishConfirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
