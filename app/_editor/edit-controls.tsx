/**
 * Undo / Redo buttons, the editor's keyboard shortcuts, and the help panel that lists them ("?").
 * Shortcuts are ignored while the focus is in a text field, where the browser's own text undo applies.
 */
'use client';
import { useReactFlow } from '@xyflow/react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { historyFlags, redo, undo } from './history';
import { layeredLayout } from './layout';
import { startRun } from './run-panel';
import { useEditor } from './store';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export const shortcuts: { keys: string; what: string }[] = [
  { keys: 'Ctrl+Z (⌘Z)', what: 'Undo the last edit (nodes, connections, parameters, names, moves)' },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y', what: 'Redo' },
  { keys: 'Ctrl+C, Ctrl+V', what: 'Copy the selected nodes (with the connections between them), paste them as new nodes' },
  { keys: 'Ctrl+D', what: 'Duplicate the selected nodes' },
  { keys: 'Ctrl+Enter', what: 'Run the pipeline' },
  { keys: 'Escape', what: 'Close this panel' },
  { keys: 'Delete / Backspace', what: 'Delete the selected nodes and connections' },
  { keys: 'Shift+drag', what: 'Select several nodes with a box' },
  { keys: 'Tab, Enter', what: 'Move between nodes and controls; Enter or Space selects the focused node, arrow keys move it' },
  { keys: '?', what: 'Show this list' },
];

function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** Lays the whole pipeline out left to right (an undoable move) and fits it into view. */
function useTidyUp() {
  const { fitView } = useReactFlow();
  return () => {
    const { nodes, edges, moveNodes } = useEditor.getState();
    const sized = nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 240, height: n.measured?.height ?? 160, y: n.position.y }));
    moveNodes(layeredLayout(sized, edges));
    requestAnimationFrame(() => void fitView({ padding: 0.15, maxZoom: 1, duration: 200 }));
  };
}

export function EditControls() {
  const flags = useSyncExternalStore(historyFlags.subscribe, historyFlags.get, historyFlags.get);
  const [help, setHelp] = useState(false);
  const tidyUp = useTidyUp();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac() ? e.metaKey : e.ctrlKey;
      if (e.key === 'Escape') {
        setHelp(false);
        return;
      }
      if (inTextField(e.target)) return;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) {
        e.preventDefault();
        redo();
      } else if (mod && key === 'c' && !e.shiftKey) {
        // Only when nodes are selected, so copying text elsewhere on the page still works.
        if (useEditor.getState().nodes.some((n) => n.selected)) useEditor.getState().copySelection();
      } else if (mod && key === 'v' && !e.shiftKey) {
        if (useEditor.getState().paste().length > 0) e.preventDefault();
      } else if (mod && key === 'd') {
        e.preventDefault();
        useEditor.getState().duplicateSelection();
      } else if (mod && e.key === 'Enter') {
        e.preventDefault();
        void startRun();
      } else if (e.key === '?') {
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help]);

  return (
    <div className="edit-controls">
      <button type="button" className="button" onClick={undo} disabled={!flags.canUndo} data-testid="undo" title="Undo (Ctrl+Z)" aria-label="Undo">
        ↶
      </button>
      <button type="button" className="button" onClick={redo} disabled={!flags.canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
        ↷
      </button>
      <button type="button" className="button" onClick={tidyUp} data-testid="tidy-up" title="Arrange the nodes left to right" aria-label="Tidy up the layout">
        ⇶
      </button>
      <button type="button" className="button" onClick={() => setHelp(true)} data-testid="shortcuts" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
      {help ? (
        <div className="modal-backdrop" onClick={() => setHelp(false)}>
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={(e) => e.stopPropagation()}>
            <h2 id="shortcuts-title">Keyboard shortcuts</h2>
            <table className="shortcut-table">
              <tbody>
                {shortcuts.map((s) => (
                  <tr key={s.keys}>
                    <th scope="row">
                      <kbd>{s.keys}</kbd>
                    </th>
                    <td>{s.what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => setHelp(false)} autoFocus>
                Close
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
