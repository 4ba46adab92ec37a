/**
 * Share: your own edit link (kept in this browser), new view or edit links (each shown once, with Copy), and
 * every link of the pipeline with Revoke. A revoked link stops working at once.
 */
'use client';
import { useCallback, useEffect, useState } from 'react';
import { t as tNow, useT } from '../../_i18n/translate';
import { api, describeFailure } from './client';
import { CopyField, Dialog } from './copy-field';
import { appLink } from './links';
import { useStorage } from './sync';

type LinkRow = { id: string; kind: 'edit' | 'view'; createdAt: number; revokedAt: number | null; isYours: boolean };

export function ShareDialog({ onClose }: { onClose(): void }) {
  const open = useStorage((s) => s.open);
  const [links, setLinks] = useState<LinkRow[] | null>(null);
  const [fresh, setFresh] = useState<{ kind: 'edit' | 'view'; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useT();

  const load = useCallback(async () => {
    if (!open) return;
    try {
      setLinks(await api.share.links.query({ key: open.key }));
    } catch (err) {
      setError(describeFailure(err, tNow('storage.doing.listLinks')).text);
    }
  }, [open]);
  useEffect(() => void load(), [load]);

  const create = async (kind: 'edit' | 'view') => {
    if (!open) return;
    try {
      const l = await api.share.createLink.mutate({ key: open.key, kind });
      setFresh({ kind, url: appLink(kind, l.token) });
      await load();
    } catch (err) {
      setError(describeFailure(err, t('storage.doing.createLink')).text);
    }
  };

  const revoke = async (linkId: string) => {
    if (!open) return;
    try {
      await api.share.revoke.mutate({ key: open.key, linkId });
      await load();
    } catch (err) {
      setError(describeFailure(err, t('storage.doing.revoke')).text);
    }
  };

  if (!open) return null;
  return (
    <Dialog title={t('storage.shareTitle')} onClose={onClose} wide testId="share-dialog">
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="small">{t('storage.ownLink')}</p>
      <CopyField value={appLink('edit', open.key)} testId="own-edit-link" />
      <div className="modal-actions" style={{ justifyContent: 'flex-start' }}>
        <button type="button" className="button" onClick={() => void create('view')} data-testid="create-view-link">
          {t('storage.newViewLink')}
        </button>
        <button type="button" className="button" onClick={() => void create('edit')} data-testid="create-edit-link">
          {t('storage.newEditLink')}
        </button>
      </div>
      {fresh ? (
        <>
          <p className="small">{t(fresh.kind === 'view' ? 'storage.freshView' : 'storage.freshEdit')}</p>
          <CopyField value={fresh.url} testId={`new-${fresh.kind}-link`} />
        </>
      ) : null}
      <table className="lock-table" data-testid="link-table">
        <thead>
          <tr>
            <th>{t('storage.colLink')}</th>
            <th>{t('storage.colCreated')}</th>
            <th>{t('storage.colState')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {links?.map((l) => (
            <tr key={l.id} data-testid={`link-row-${l.kind}`}>
              <td>
                {t(l.kind === 'edit' ? 'storage.editLink' : 'storage.viewLink')}
                {l.isYours ? t('storage.yours') : ''}
              </td>
              <td>{new Date(l.createdAt).toLocaleString()}</td>
              <td>{t(l.revokedAt ? 'storage.revoked' : 'storage.active')}</td>
              <td>
                {!l.revokedAt && !l.isYours ? (
                  <button type="button" className="button button--small" onClick={() => void revoke(l.id)} data-testid="revoke-link">
                    {t('storage.revoke')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
