/** Client-only entry of the read-only shared view (it talks to the server from the browser). */
'use client';
import dynamic from 'next/dynamic';

export const SharedViewEntry = dynamic(() => import('./shared-view').then((m) => m.SharedView), {
  ssr: false,
  // Rendered before the language is known (also on the server), so it says it in both.
  loading: () => <div className="loading">Loading… / 読み込み中…</div>,
});
