/**
 * Undo/redo for the document (nodes, edges, parameters, labels, positions, name): every edit is recorded as a
 * snapshot of the saved form (a PipelineDoc), so selection and run state are never part of history. Bursts of
 * edits (a drag, typing in a field) become one step: a step is closed after `quietMs` without further edits.
 */
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { toPipelineDoc } from './doc';
import { onEditStep, useEditor } from './store';
import { UndoStack } from './undo-stack';

/** Two documents are the same edit state when their saved JSON is equal. */
export const sameDoc = (a: PipelineDoc, b: PipelineDoc) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------------------------
// Wiring to the editor store

type HistoryFlags = { canUndo: boolean; canRedo: boolean };
const flagListeners = new Set<() => void>();
let flags: HistoryFlags = { canUndo: false, canRedo: false };
let active: { stack: UndoStack<PipelineDoc>; applying: boolean } | null = null;

function publish(stack: UndoStack<PipelineDoc>) {
  if (flags.canUndo === stack.canUndo && flags.canRedo === stack.canRedo) return;
  flags = { canUndo: stack.canUndo, canRedo: stack.canRedo };
  for (const l of flagListeners) l();
}

/** For useSyncExternalStore: whether undo / redo are available. */
export const historyFlags = {
  subscribe(listener: () => void) {
    flagListeners.add(listener);
    return () => flagListeners.delete(listener);
  },
  get: () => flags,
};

/** Record every document edit of the editor store from now on; returns the stop function. */
export function startHistory(): () => void {
  const stack = new UndoStack<PipelineDoc>(sameDoc);
  const state = { stack, applying: false };
  active = state;
  publish(stack);
  onEditStep(() => stack.seal());
  const unsubscribe = useEditor.subscribe((s, prev) => {
    if (state.applying) return;
    if (s.docRevision !== prev.docRevision) {
      // A whole document was loaded (New, template, import, a saved pipeline opened): it starts its own history,
      // so an undo never carries one pipeline's content into another that autosaves to the server.
      stack.clear();
      publish(stack);
      return;
    }
    if (s.nodes === prev.nodes && s.edges === prev.edges && s.meta === prev.meta) return;
    stack.record(toPipelineDoc(prev.meta, prev.nodes, prev.edges), toPipelineDoc(s.meta, s.nodes, s.edges), Date.now());
    publish(stack);
  });
  return () => {
    unsubscribe();
    onEditStep(null);
    if (active === state) active = null;
    flags = { canUndo: false, canRedo: false };
  };
}

function step(direction: 'undo' | 'redo'): boolean {
  if (!active) return false;
  const { stack } = active;
  const editor = useEditor.getState();
  const current = editor.toDoc();
  const target = direction === 'undo' ? stack.undo(current) : stack.redo(current);
  if (target) {
    active.applying = true;
    try {
      editor.restoreDoc(target);
    } finally {
      active.applying = false;
    }
  }
  publish(stack);
  return target !== null;
}

export const undo = () => step('undo');
export const redo = () => step('redo');
