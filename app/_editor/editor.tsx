/**
 * The editor shell: toolbar (document + run controls), palette, canvas, parameter panel.
 * On mount it restores the autosaved document (or opens the default template) and starts autosave.
 */
'use client';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { DEFAULT_TEMPLATE_ID, getTemplate } from '../../graph-nodes/templates/index';
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
import { selectSelectedNode, useEditor } from './store';

export function Editor() {
  const [loaded, setLoaded] = useState(false);
  const hasSelection = useEditor((s) => selectSelectedNode(s) !== undefined);

  useEffect(() => {
    const saved = loadSavedDoc();
    const doc = saved ?? getTemplate(DEFAULT_TEMPLATE_ID)?.doc;
    if (doc) {
      const warnings = useEditor.getState().loadDoc(doc);
      if (warnings.length > 0) useEditor.getState().setNotice({ kind: 'warn', text: 'Some parts could not be restored:', details: warnings });
    }
    setLoaded(true);
    // History starts after the restore, so the first undo never empties the canvas.
    const stopHistory = startHistory();
    const stopAutosave = startAutosave();
    return () => {
      stopAutosave();
      stopHistory();
    };
  }, []);

  return (
    <ReactFlowProvider>
      <div className="app">
        <header className="topbar">
          <div className="brand" title="Kizuki: notice what is not normal">
            Kizuki
          </div>
          <DocMenu />
          <EditControls />
          <ResultsMenu />
          <RunControls />
        </header>
        <div className={`main${hasSelection ? ' main--side' : ''}`}>
          <Palette />
          <div className="center">
            <NoticeBar />
            {loaded ? <Canvas /> : null}
          </div>
          {hasSelection ? (
            <aside className="side" aria-label="Parameters">
              <ParamPanel />
            </aside>
          ) : null}
        </div>
        <EngineBar />
      </div>
    </ReactFlowProvider>
  );
}
