/** A read-only link with a Copy button (clipboard when allowed, else the text is selected for Ctrl+C). */
'use client';
import { useRef, useState } from 'react';
import { useT } from '../../_i18n/translate';

export function CopyField({ value, testId }: { value: string; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const t = useT();
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard permission: the selection is there to copy by hand
    }
  };
  return (
    <div className="copy-field">
      <input ref={input} readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
      <button type="button" className="button button--small" onClick={() => void copy()} data-testid={`${testId}-copy`}>
        {copied ? t('storage.copied') : t('storage.copy')}
      </button>
    </div>
  );
}

/** A modal dialog frame with a title and a Close button. */
export function Dialog({ title, onClose, children, wide, testId }: { title: string; onClose(): void; children: React.ReactNode; wide?: boolean; testId: string }) {
  const t = useT();
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className={`modal${wide ? ' modal--wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <div className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="notice-close" onClick={onClose} aria-label={t('common.close')} data-testid={`${testId}-close`}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
