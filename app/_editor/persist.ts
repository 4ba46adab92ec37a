/**
 * Autosave of the unsaved document to localStorage (debounced), restored on the next visit.
 * Only the document is saved, never the run state.
 */
import { type PipelineDoc, parsePipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { useEditor } from './store';

const KEY = 'kizuki.editor.document';
const DEBOUNCE_MS = 300;

export function loadSavedDoc(): PipelineDoc | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = parsePipelineDoc(JSON.parse(raw));
    return parsed.ok ? parsed.doc : null;
  } catch {
    return null;
  }
}

/** Save on every document change; returns the unsubscribe function. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    timer = null;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(useEditor.getState().toDoc()));
    } catch {
      // Storage full or disabled: the editor keeps working; export remains available.
    }
  };
  const unsubscribe = useEditor.subscribe((s, prev) => {
    if (s.nodes === prev.nodes && s.edges === prev.edges && s.meta === prev.meta) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DEBOUNCE_MS);
  });
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      save();
    }
  };
  window.addEventListener('pagehide', flush);
  return () => {
    flush();
    unsubscribe();
    window.removeEventListener('pagehide', flush);
  };
}
