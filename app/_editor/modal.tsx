/**
 * The frame of the editor's viewing dialogs (threshold explorer, image inspector, run comparison, shortcut list,
 * node search, plots):
 * rendered into <body> (a node's previews live inside React Flow's transformed viewport, where `position: fixed`
 * would be relative to the canvas), closed by Escape or a click on the backdrop. Dialogs holding a form the user
 * could lose use storage/copy-field.tsx's Dialog, which a stray click does not close.
 */
'use client';
import { type ReactNode, useEffect } from 'react';
import { createPortal } from 'react-dom';

export function Modal(p: { className?: string; labelledBy: string; testId?: string; onClose(): void; children: ReactNode }) {
  const { onClose } = p;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return createPortal(
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className={p.className ? `modal ${p.className}` : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={p.labelledBy}
        data-testid={p.testId}
        onClick={(e) => e.stopPropagation()}
      >
        {p.children}
      </div>
    </div>,
    document.body,
  );
}
