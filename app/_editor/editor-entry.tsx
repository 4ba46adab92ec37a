/** Client-only entry: the editor uses workers, localStorage and canvas, so it is not rendered on the server. */
'use client';
import dynamic from 'next/dynamic';

export const EditorEntry = dynamic(() => import('./editor').then((m) => m.Editor), {
  ssr: false,
  // Rendered before the language is known (also on the server), so it says it in both.
  loading: () => <div className="loading">Loading the editor… / エディタを読み込んでいます…</div>,
});
