/**
 * The editor shell: toolbar (document + run controls), palette, canvas, parameter panel.
 * On mount it restores the local draft (or opens the default template), starts the draft autosave and
 * reattaches to the server pipeline that was open (storage/sync.ts).
 */
'use client';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { DEFAULT_TEMPLATE_ID, getTemplate } from '../../graph-nodes/templates/index';
import { LanguageSwitch } from '../_i18n/language-switch';
import { t, useT } from '../_i18n/translate';
import { Canvas } from './canvas';
import { DocMenu } from './doc-menu';
import { EditControls } from './edit-controls';
import { startHistory } from './history';
import { NoticeBar } from './notice-bar';
import { Palette } from './palette';
import { ParamPanel } from './param-form';
import { ResultsMenu } from './results/results-menu';
import { loadSavedDoc, startAutosave } from './persist';
import { EngineBar, RunControls } from './run-panel';
import { StorageBar } from './storage/storage-bar';
import { draftOwner, startServerSync } from './storage/sync';
import { selectSelectedNode, useEditor } from './store';

export function Editor() {
  const [loaded, setLoaded] = useState(false);
  const hasSelection = useEditor((s) => selectSelectedNode(s) !== undefined);
  const tr = useT();

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void loadSavedDoc().then((saved) => {
      if (cancelled) return;
      const doc = saved?.doc ?? getTemplate(DEFAULT_TEMPLATE_ID)?.doc;
      if (doc) {
        const warnings = useEditor.getState().loadDoc(doc);
        if (warnings.length > 0) useEditor.getState().setNotice({ kind: 'warn', text: t('app.restoreProblems'), details: warnings });
      }
      setLoaded(true);
      // History starts after the restore, so the first undo never empties the canvas.
      const stopHistory = startHistory();
      const stopAutosave = startAutosave(draftOwner);
      const stopServerSync = startServerSync(saved?.owner ?? null);
      stop = () => {
        stopServerSync();
        stopAutosave();
        stopHistory();
      };
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);

  return (
    <ReactFlowProvider>
      <div className="app">
        <header className="topbar">
          {/* Two fixed rows, so nothing wraps unpredictably at 1280 px: the document and editing, then saving, results and running. */}
          <div className="topbar-row">
            <div className="brand" title={tr('app.brandTitle')} lang="en">
              Kizuki
            </div>
            <DocMenu />
            <EditControls />
            <LanguageSwitch />
          </div>
          <div className="topbar-row">
            <StorageBar />
            <ResultsMenu />
            <RunControls />
          </div>
        </header>
        <div className={`main${hasSelection ? ' main--side' : ''}`}>
          <Palette />
          <div className="center">
            <NoticeBar />
            {loaded ? <Canvas /> : null}
          </div>
          {hasSelection ? (
            <aside className="side" aria-label={tr('app.paramsRegion')}>
              <ParamPanel />
            </aside>
          ) : null}
        </div>
        <EngineBar />
      </div>
    </ReactFlowProvider>
  );
}
