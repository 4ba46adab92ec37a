/**
 * Undo / Redo / Find buttons, the editor's keyboard shortcuts, and the help panel that lists them ("?").
 * Editing shortcuts are ignored while the focus is in a form field, where the browser's own text undo applies;
 * Run (Ctrl+Enter) and Find (Ctrl+K) work everywhere.
 */
'use client';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { type MessageKey, useT } from '../_i18n/translate';
import { historyFlags, redo, undo } from './history';
import { layeredLayout } from './layout';
import { startRun } from './run-panel';
import { useEditor } from './store';
import { Modal } from './modal';
import { NodeSearch } from './node-search';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Keys are written as-is, or through the catalogue where they contain words ("or", "drag"). */
export const shortcuts: { keys: string | MessageKey; what: MessageKey }[] = [
  { keys: 'Ctrl+Z (⌘Z)', what: 'shortcut.undo' },
  { keys: 'shortcut.keysRedo', what: 'shortcut.redo' },
  { keys: 'Ctrl+C, Ctrl+V', what: 'shortcut.copyPaste' },
  { keys: 'Ctrl+D', what: 'shortcut.duplicate' },
  { keys: 'Ctrl+Enter', what: 'shortcut.run' },
  { keys: 'Ctrl+K', what: 'shortcut.find' },
  { keys: 'Escape', what: 'shortcut.close' },
  { keys: 'Delete / Backspace', what: 'shortcut.delete' },
  { keys: 'shortcut.keysBoxSelect', what: 'shortcut.boxSelect' },
  { keys: 'Tab, Enter', what: 'shortcut.keyboard' },
  { keys: '?', what: 'shortcut.help' },
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
  const closeHelp = useCallback(() => setHelp(false), []);
  const [find, setFind] = useState(false);
  const closeFind = useCallback(() => setFind(false), []);
  const tidyUp = useTidyUp();
  const t = useT();
  const keysText = (k: string) => (k.startsWith('shortcut.') ? t(k as MessageKey) : k);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac() ? e.metaKey : e.ctrlKey;
      const key = e.key.toLowerCase();
      // Run and Find are no text-editing keys, so they work from inside the parameter form too.
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void startRun();
        return;
      }
      if (mod && key === 'k') {
        e.preventDefault();
        setFind(true);
        return;
      }
      if (inTextField(e.target)) return;
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
      } else if (e.key === '?') {
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="edit-controls">
      <button type="button" className="button" onClick={undo} disabled={!flags.canUndo} data-testid="undo" title={t('edit.undoTitle')} aria-label={t('edit.undo')}>
        ↶
      </button>
      <button type="button" className="button" onClick={redo} disabled={!flags.canRedo} data-testid="redo" title={t('edit.redoTitle')} aria-label={t('edit.redo')}>
        ↷
      </button>
      <button type="button" className="button" onClick={tidyUp} data-testid="tidy-up" title={t('edit.tidyTitle')} aria-label={t('edit.tidy')}>
        ⇶
      </button>
      <button type="button" className="button" onClick={() => setFind(true)} data-testid="find-node" title={t('find.openTitle')} aria-label={t('find.open')}>
        ⌕
      </button>
      <button type="button" className="button" onClick={() => setHelp(true)} data-testid="shortcuts" title={t('edit.shortcutsTitle')} aria-label={t('edit.shortcuts')}>
        ?
      </button>
      {find ? <NodeSearch onClose={closeFind} /> : null}
      {help ? (
        <Modal labelledBy="shortcuts-title" onClose={closeHelp}>
          <h2 id="shortcuts-title">{t('edit.shortcuts')}</h2>
          <table className="shortcut-table">
            <tbody>
              {shortcuts.map((s) => (
                <tr key={s.keys}>
                  <th scope="row">
                    <kbd>{keysText(s.keys)}</kbd>
                  </th>
                  <td>{t(s.what)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="modal-actions">
            <button type="button" className="button" onClick={closeHelp} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}
