/** Shown when a save hit a newer revision on the server: reload theirs, or keep mine as a new pipeline. */
'use client';
import { useT } from '../../_i18n/translate';
import { keepMineAsCopy, reloadTheirs, useStorage } from './sync';

export function ConflictDialog() {
  const head = useStorage((s) => (s.status === 'conflict' ? s.conflictHead : null));
  const status = useStorage((s) => s.status);
  const t = useT();
  if (status !== 'conflict') return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="conflict-title" data-testid="conflict-dialog">
        <h2 id="conflict-title">{t('storage.conflictTitle')}</h2>
        <p>{head ? t('storage.conflictBodyAt', { head }) : t('storage.conflictBody')}</p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={() => void reloadTheirs()} data-testid="conflict-reload">
            {t('storage.reloadTheirs')}
          </button>
          <button type="button" className="button button--primary" onClick={() => void keepMineAsCopy()} data-testid="conflict-keep-copy">
            {t('storage.keepMine')}
          </button>
        </div>
      </div>
    </div>
  );
}
