/**
 * Undo / Redo buttons, the editor's keyboard shortcuts, and the help panel that lists them ("?").
 * Shortcuts are ignored while the focus is in a text field, where the browser's own text undo applies.
 */
'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { historyFlags, redo, undo } from './history';
import { startRun } from './run-panel';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export const shortcuts: { keys: string; what: string }[] = [
  { keys: 'Ctrl+Z (⌘Z)', what: 'Undo the last edit (nodes, connections, parameters, names, moves)' },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y', what: 'Redo' },
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

export function EditControls() {
  const flags = useSyncExternalStore(historyFlags.subscribe, historyFlags.get, historyFlags.get);
  const [help, setHelp] = useState(false);

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
