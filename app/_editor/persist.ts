/**
 * The local draft: the document on the canvas, written to IndexedDB on every change (debounced) and restored
 * on the next visit, so a reload or a crashed tab loses at most the last moments of work, server or not.
 * Only the document is saved, never the run state. A draft left by older versions in localStorage is moved over.
 */
import { type PipelineDoc, parsePipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { useEditor } from './store';

const DB_NAME = 'kizuki';
const STORE = 'drafts';
const DRAFT_KEY = 'current';
const LEGACY_KEY = 'kizuki.editor.document';
const DEBOUNCE_MS = 300;

let dbPromise: Promise<IDBDatabase> | null = null;

function openDraftDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

function request<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return openDraftDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = run(tx.objectStore(STORE));
        // Resolve on commit, not on request success: only then is the draft durable.
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

function parse(json: unknown): PipelineDoc | null {
  const parsed = parsePipelineDoc(json);
  return parsed.ok ? parsed.doc : null;
}

/**
 * A draft and the server pipeline it is a version of (`owner`, null for a document only in this browser), so
 * that a draft from one pipeline is never taken for unsaved edits of another.
 */
export type Draft = { doc: PipelineDoc; owner: string | null };

/** The draft from the last visit, if any and valid. */
export async function loadSavedDoc(): Promise<Draft | null> {
  try {
    const stored = await request<{ doc: unknown; owner?: unknown } | undefined>('readonly', (s) => s.get(DRAFT_KEY));
    const doc = stored ? parse(stored.doc) : null;
    if (doc) return { doc, owner: typeof stored?.owner === 'string' ? stored.owner : null };
  } catch {
    // IndexedDB unavailable (private mode in some browsers): fall through to the legacy copy.
  }
  try {
    const raw = window.localStorage.getItem(LEGACY_KEY);
    const doc = raw ? parse(JSON.parse(raw)) : null;
    return doc ? { doc, owner: null } : null;
  } catch {
    return null;
  }
}

/** Write the draft now; resolves once it is committed. */
export async function saveDraft(doc: PipelineDoc, owner: string | null): Promise<void> {
  await request('readwrite', (s) => s.put({ doc, owner, savedAt: Date.now() }, DRAFT_KEY));
  window.localStorage.removeItem(LEGACY_KEY);
}

/** Save on every document change; returns the unsubscribe function. */
export function startAutosave(owner: () => string | null = () => null): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    timer = null;
    saveDraft(useEditor.getState().toDoc(), owner()).catch(() => {
      // Storage full or disabled: the editor keeps working; Save and Export remain available.
    });
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
