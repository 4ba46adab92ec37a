/** Shown when a save hit a newer revision on the server: reload theirs, or keep mine as a new pipeline. */
'use client';
import { keepMineAsCopy, reloadTheirs, useStorage } from './sync';

export function ConflictDialog() {
  const head = useStorage((s) => (s.status === 'conflict' ? s.conflictHead : null));
  const status = useStorage((s) => s.status);
  if (status !== 'conflict') return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="conflict-title" data-testid="conflict-dialog">
        <h2 id="conflict-title">Changed elsewhere</h2>
        <p>
          This pipeline was saved from another tab or browser{head ? ` and is now at revision ${head}` : ''}. Your changes were not saved
          over it. Reload their version (your changes here are dropped), or keep yours as a separate copy.
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={() => void reloadTheirs()} data-testid="conflict-reload">
            Reload theirs
          </button>
          <button type="button" className="button button--primary" onClick={() => void keepMineAsCopy()} data-testid="conflict-keep-copy">
            Keep mine as a copy
          </button>
        </div>
      </div>
    </div>
  );
}
