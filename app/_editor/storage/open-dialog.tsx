/**
 * "Open": the server pipelines whose edit links this browser holds, newest first, each with open, rename,
 * duplicate and delete (to the trash); the trash lists deleted ones with restore. Names are rendered as text.
 */
'use client';
import { useCallback, useEffect, useState } from 'react';
import { t as tNow, useT } from '../../_i18n/translate';
import { useEditor } from '../store';
import { api, describeFailure } from './client';
import { Dialog } from './copy-field';
import { forgetKeys, heldPipelines, rememberPipeline } from './links';
import { detach, openByKey, saveNow, useStorage } from './sync';

type Row = { key: string; id: string; name: string; headRevision: number; updatedAt: number; deletedAt: number | null };

export function OpenDialog({ onClose }: { onClose(): void }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ key: string; name: string } | null>(null);
  const openId = useStorage((s) => s.open?.id);
  const t = useT();

  const load = useCallback(async () => {
    try {
      const r = await api.pipelines.list.query({ keys: heldPipelines().slice(0, 500).map((p) => p.key) });
      if (r.unknownKeys.length > 0) forgetKeys(r.unknownKeys);
      setRows(r.pipelines);
      setError(null);
    } catch (err) {
      setError(describeFailure(err, tNow('storage.doing.list')).text);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      await load();
    } catch (err) {
      const f = describeFailure(err, what);
      setError([f.text, ...f.details].join(' '));
    }
  };

  const rename = (row: Row, name: string) =>
    act(t('storage.doing.rename'), async () => {
      if (row.id === openId) {
        // The open pipeline: rename on the canvas and save, so the editor stays on the newest revision.
        useEditor.getState().setMeta({ name });
        await saveNow(t('storage.msgRenamed', { name }));
      } else {
        await api.pipelines.rename.mutate({ key: row.key, name });
      }
      rememberPipeline({ key: row.key, id: row.id, name });
      setRenaming(null);
    });

  const live = rows?.filter((r) => r.deletedAt === null) ?? [];
  const trashed = rows?.filter((r) => r.deletedAt !== null) ?? [];

  return (
    <Dialog title={t('storage.openTitle')} onClose={onClose} wide testId="open-dialog">
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {rows !== null && live.length === 0 ? <p className="muted">{t('storage.noneSaved')}</p> : null}
      <ul className="pipeline-list" data-testid="pipeline-list">
        {live.map((r) => (
          <li key={r.id} data-testid="pipeline-row">
            {renaming?.key === r.key ? (
              <form
                className="row-rename"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (renaming.name.trim()) void rename(r, renaming.name.trim());
                }}
              >
                <input autoFocus value={renaming.name} maxLength={200} onChange={(e) => setRenaming({ key: r.key, name: e.target.value })} aria-label={t('storage.newName')} data-testid="rename-input" />
                <button type="submit" className="button button--small" data-testid="rename-ok">
                  {t('storage.rename')}
                </button>
              </form>
            ) : (
              <button
                type="button"
                className="row-name"
                title={t('common.open')}
                onClick={() => void openByKey(r.key).then((ok) => ok && onClose())}
                data-testid="pipeline-open"
              >
                {r.name}
                {r.id === openId ? <span className="muted small">{t('storage.isOpen')}</span> : null}
              </button>
            )}
            <span className="muted small">
              {t('storage.revAt', { revision: r.headRevision, date: new Date(r.updatedAt).toLocaleString() })}
            </span>
            <span className="row-actions">
              <button type="button" className="button button--small" onClick={() => setRenaming({ key: r.key, name: r.name })} data-testid="pipeline-rename">
                {t('storage.rename')}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  void act(t('storage.doing.duplicate'), async () => {
                    const c = await api.pipelines.duplicate.mutate({ key: r.key });
                    rememberPipeline({ key: c.key, id: c.id, name: t('storage.copyOf', { name: r.name }) });
                  })
                }
                data-testid="pipeline-duplicate"
              >
                {t('storage.duplicate')}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  void act(t('storage.doing.delete'), async () => {
                    await api.pipelines.trash.mutate({ key: r.key });
                    if (r.id === openId) detach();
                  })
                }
                data-testid="pipeline-delete"
              >
                {t('storage.delete')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {trashed.length > 0 ? (
        <>
          <h3 className="small muted">{t('storage.trash')}</h3>
          <ul className="pipeline-list" data-testid="trash-list">
            {trashed.map((r) => (
              <li key={r.id} data-testid="trash-row">
                <span className="row-name">{r.name}</span>
                <span className="muted small">{t('storage.deletedAt', { date: new Date(r.deletedAt!).toLocaleString() })}</span>
                <span className="row-actions">
                  <button type="button" className="button button--small" onClick={() => void act(t('storage.doing.restore'), () => api.pipelines.restore.mutate({ key: r.key }))} data-testid="trash-restore">
                    {t('storage.restore')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Dialog>
  );
}
