/** The one line where the editor explains itself: refused connections, load problems, worker restarts. */
'use client';
import { useT } from '../_i18n/translate';
import { useEditor } from './store';

export function NoticeBar() {
  const notice = useEditor((s) => s.notice);
  const setNotice = useEditor((s) => s.setNotice);
  const t = useT();
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <div className="notice-body">
        <div className="notice-text">{notice.text}</div>
        {notice.details && notice.details.length > 0 ? (
          <ul className="notice-details">
            {notice.details.slice(0, 12).map((d, i) => (
              <li key={i}>{d}</li>
            ))}
            {notice.details.length > 12 ? <li>{t('notice.more', { count: notice.details.length - 12 })}</li> : null}
          </ul>
        ) : null}
      </div>
      <button type="button" className="notice-close" onClick={() => setNotice(null)} aria-label={t('common.dismiss')}>
        ×
      </button>
    </div>
  );
}
