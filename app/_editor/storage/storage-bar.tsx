/**
 * The toolbar's storage controls: Save (with an optional revision message), the save status, and the Open,
 * History, Share, Publish and Gallery dialogs. Also the dialogs that pop up on their own: a new edit link
 * (shown once) and a save conflict.
 */
'use client';
import { useState } from 'react';
import { type MessageKey, useT } from '../../_i18n/translate';
import './storage.css';
import { ConflictDialog } from './conflict-dialog';
import { CopyField, Dialog } from './copy-field';
import { GalleryDialog } from './gallery-dialog';
import { HistoryPanel } from './history-panel';
import { OpenDialog } from './open-dialog';
import { PublishDialog } from './publish-dialog';
import { ShareDialog } from './share-dialog';
import { type SaveStatus, saveNow, useStorage } from './sync';

const statusKey = (status: SaveStatus): MessageKey => `storage.status.${status}`;

type Open = 'save' | 'open' | 'history' | 'share' | 'publish' | 'gallery' | null;

export function StorageBar() {
  const status = useStorage((s) => s.status);
  const revision = useStorage((s) => s.open?.revision);
  const failure = useStorage((s) => s.failure);
  const isOnServer = useStorage((s) => s.open !== null);
  const [dialog, setDialog] = useState<Open>(null);
  const close = () => setDialog(null);
  const t = useT();

  return (
    <div className="storage-bar">
      <button type="button" className="button" onClick={() => setDialog('save')} data-testid="save">
        {t('storage.save')}
      </button>
      <button type="button" className="button" onClick={() => setDialog('open')} data-testid="open-pipelines">
        {t('storage.open')}
      </button>
      <button type="button" className="button" onClick={() => setDialog('history')} disabled={!isOnServer} data-testid="history">
        {t('storage.history')}
      </button>
      <button type="button" className="button" onClick={() => setDialog('share')} disabled={!isOnServer} data-testid="share">
        {t('storage.share')}
      </button>
      <button type="button" className="button" onClick={() => setDialog('publish')} disabled={!isOnServer} data-testid="publish">
        {t('storage.publish')}
      </button>
      <button type="button" className="button" onClick={() => setDialog('gallery')} data-testid="gallery">
        {t('storage.gallery')}
      </button>
      <span
        className={`save-status save-status--${status}`}
        data-testid="save-status"
        data-status={status}
        data-revision={revision ?? ''}
        title={failure ? [failure.text, ...failure.details].join('\n') : undefined}
      >
        {t(statusKey(status))}
        {revision && (status === 'saved' || status === 'dirty') ? t('storage.rev', { revision }) : ''}
      </span>
      {failure && status === 'failed' ? (
        <span className="save-failure text-error small" role="alert" data-testid="save-failure">
          {failure.text}
          {failure.details.length > 0 ? ` (${failure.details.join('; ')})` : ''}
        </span>
      ) : null}

      {dialog === 'save' ? <SaveDialog onClose={close} /> : null}
      {dialog === 'open' ? <OpenDialog onClose={close} /> : null}
      {dialog === 'history' ? <HistoryPanel onClose={close} /> : null}
      {dialog === 'share' ? <ShareDialog onClose={close} /> : null}
      {dialog === 'publish' ? <PublishDialog onClose={close} /> : null}
      {dialog === 'gallery' ? <GalleryDialog onClose={close} /> : null}
      <NewEditLinkDialog />
      <ConflictDialog />
    </div>
  );
}

function SaveDialog({ onClose }: { onClose(): void }) {
  const [message, setMessage] = useState('');
  const isOnServer = useStorage((s) => s.open !== null);
  const t = useT();
  return (
    <Dialog title={t(isOnServer ? 'storage.saveRevision' : 'storage.saveOnServer')} onClose={onClose} testId="save-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void saveNow(message.trim() || undefined);
          onClose();
        }}
      >
        <label className="field">
          <span className="field-name">{t('storage.whatChanged')}</span>
          <input autoFocus value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} placeholder={t('storage.whatChangedExample')} data-testid="save-message" />
        </label>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="save-confirm">
            {t('storage.saveConfirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The edit link of a pipeline just created: the only time it is shown in full. */
function NewEditLinkDialog() {
  const link = useStorage((s) => s.newEditLink);
  const t = useT();
  if (!link) return null;
  return (
    <Dialog title={t('storage.editLinkTitle')} onClose={() => useStorage.setState({ newEditLink: null })} testId="edit-link-dialog">
      <p>{t('storage.editLinkBody')}</p>
      <CopyField value={link} testId="edit-link" />
      <div className="modal-actions">
        <button type="button" className="button button--primary" onClick={() => useStorage.setState({ newEditLink: null })} data-testid="edit-link-done">
          {t('common.done')}
        </button>
      </div>
    </Dialog>
  );
}
