/**
 * The link between the editor's document and its server copy: which pipeline is open at which revision,
 * explicit saves (new revision with a message), debounced autosave, and conflicts (a save on a stale revision)
 * that wait for the user: reload theirs, or keep mine as a copy. Loading any other document (New, a template,
 * an import) detaches the editor from the server pipeline so it is never overwritten by accident.
 */
import { create } from 'zustand';
import type { ParamLocks } from '../../../graph-nodes/core/param-locks';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { saveDraft } from '../persist';
import { useEditor } from '../store';
import { t } from '../../_i18n/translate';
import { api, describeFailure, type Failure } from './client';
import { appLink, openPipelineRecord, rememberPipeline, setOpenPipelineRecord } from './links';

export const AUTOSAVE_MS = 1500;

export type SaveStatus = 'local' | 'saved' | 'dirty' | 'saving' | 'failed' | 'conflict';

type StorageState = {
  /** The server pipeline the editor shows, if any. */
  open: { key: string; id: string; revision: number } | null;
  locks: ParamLocks;
  status: SaveStatus;
  failure: Failure | null;
  /** Head revision on the server when a save conflicted. */
  conflictHead: number | null;
  /** A freshly created edit link, shown once. */
  newEditLink: string | null;
  /** Autosave after edits (on by default). */
  autosave: boolean;
};

export const useStorage = create<StorageState>()(() => ({
  open: null,
  locks: {},
  status: 'local',
  failure: null,
  conflictHead: null,
  newEditLink: null,
  autosave: true,
}));

let savedJson = '';
let loadingFromServer = false;
let saving: Promise<void> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

const docJson = () => JSON.stringify(useEditor.getState().toDoc());

/** The server pipeline the local draft belongs to (persist.ts stores it with the draft). */
export const draftOwner = (): string | null => useStorage.getState().open?.id ?? null;

/** Remember the open pipeline for the next visit, and re-tag the local draft with it. */
function record() {
  const o = useStorage.getState().open;
  setOpenPipelineRecord(o ? { ...o, savedJson } : null);
  saveDraft(useEditor.getState().toDoc(), o?.id ?? null).catch(() => {
    // No IndexedDB: the server copy is the only one.
  });
}

/** Put a server document on the canvas without detaching (the storage layer's own loads). */
function loadFromServer(doc: PipelineDoc): string[] {
  loadingFromServer = true;
  try {
    return useEditor.getState().loadDoc(doc);
  } finally {
    loadingFromServer = false;
  }
}

function attach(open: { key: string; id: string; revision: number }, locks: ParamLocks) {
  savedJson = docJson();
  useStorage.setState({ open, locks, status: 'saved', failure: null, conflictHead: null });
  rememberPipeline({ key: open.key, id: open.id, name: useEditor.getState().meta.name });
  record();
}

/** Open a pipeline by its edit link token, replacing the canvas. */
export async function openByKey(key: string): Promise<boolean> {
  try {
    const p = await api.pipelines.open.query({ key });
    const warnings = loadFromServer(p.doc);
    attach({ key, id: p.id, revision: p.headRevision }, p.locks);
    useEditor.getState().setNotice(
      warnings.length > 0
        ? { kind: 'warn', text: t('storage.openedWithProblems', { name: p.name, revision: p.headRevision }), details: warnings }
        : { kind: 'info', text: t('storage.opened', { name: p.name, revision: p.headRevision }) },
    );
    return true;
  } catch (err) {
    const f = describeFailure(err, t('storage.doing.open'));
    useEditor.getState().setNotice({ kind: 'error', text: f.text, details: f.details });
    return false;
  }
}

/** Attach to a pipeline just created on the server (a copy, a template), showing its new content. */
export async function adoptCreated(created: { id: string; key: string }, showLink: boolean) {
  const ok = await openByKey(created.key);
  if (ok && showLink) useStorage.setState({ newEditLink: appLink('edit', created.key) });
}

/**
 * Save the canvas as a new revision. A pipeline not yet on the server is created (its edit link shown once).
 * Resolves when done; failures and conflicts are put in the storage state, never thrown.
 */
export function saveNow(message?: string, auto = false): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  const run = async () => {
    const s = useStorage.getState();
    if (s.status === 'conflict') return;
    const doc = useEditor.getState().toDoc();
    const json = JSON.stringify(doc);
    useStorage.setState({ status: 'saving' });
    try {
      if (!s.open) {
        const created = await api.pipelines.create.mutate({ doc, message: message || t('storage.msgCreated') });
        savedJson = json;
        useStorage.setState({ open: { key: created.key, id: created.id, revision: created.revision }, locks: {}, newEditLink: appLink('edit', created.key) });
        rememberPipeline({ key: created.key, id: created.id, name: doc.name });
      } else {
        const { revision } = await api.pipelines.save.mutate({ key: s.open.key, baseRevision: s.open.revision, doc, message, auto });
        savedJson = json;
        useStorage.setState({ open: { ...s.open, revision } });
        rememberPipeline({ key: s.open.key, id: s.open.id, name: doc.name });
      }
      useStorage.setState({ status: docJson() === savedJson ? 'saved' : 'dirty', failure: null });
      record();
      if (docJson() !== savedJson) schedule();
    } catch (err) {
      const f = describeFailure(err, t(auto ? 'storage.doing.autosave' : 'storage.doing.save'));
      if (f.code === 'CONFLICT') useStorage.setState({ status: 'conflict', conflictHead: f.conflictHead ?? null, failure: f });
      else useStorage.setState({ status: 'failed', failure: f });
    }
  };
  // One save at a time, in order: the next one starts from the revision the last one produced.
  const next = (saving ?? Promise.resolve()).then(run);
  saving = next;
  void next.finally(() => {
    if (saving === next) saving = null;
  });
  return next;
}

function schedule() {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    const s = useStorage.getState();
    if (s.open && s.autosave && s.status !== 'conflict' && docJson() !== savedJson) void saveNow(undefined, true);
  }, AUTOSAVE_MS);
}

/** Conflict: replace my canvas with the server's newest revision. */
export async function reloadTheirs() {
  const o = useStorage.getState().open;
  if (o) await openByKey(o.key);
}

/** Conflict: keep my canvas as a new pipeline; the other one stays as they saved it. */
export async function keepMineAsCopy() {
  const doc = useEditor.getState().toDoc();
  const copy = { ...doc, name: t('storage.myCopy', { name: doc.name }).slice(0, 200) };
  try {
    const created = await api.pipelines.create.mutate({ doc: copy, message: t('storage.msgKeptMine') });
    useEditor.getState().setMeta({ name: copy.name });
    savedJson = docJson();
    useStorage.setState({ open: { key: created.key, id: created.id, revision: created.revision }, locks: useStorage.getState().locks, status: 'saved', failure: null, conflictHead: null, newEditLink: appLink('edit', created.key) });
    rememberPipeline({ key: created.key, id: created.id, name: copy.name });
    record();
  } catch (err) {
    useStorage.setState({ failure: describeFailure(err, t('storage.doing.saveCopy')) });
  }
}

/** Forget the server pipeline (after trash or New); the canvas stays as a local draft. */
export function detach() {
  if (timer) clearTimeout(timer);
  timer = null;
  savedJson = '';
  useStorage.setState({ open: null, locks: {}, status: 'local', failure: null, conflictHead: null });
  record();
}

/** Apply a revision the server just wrote from the canvas's own state (restore), keeping us attached. */
export function adoptRevision(doc: PipelineDoc, revision: number) {
  const o = useStorage.getState().open;
  if (!o) return;
  loadFromServer(doc);
  savedJson = docJson();
  useStorage.setState({ open: { ...o, revision }, status: 'saved', failure: null });
  record();
}

/**
 * Start tracking the editor: reattach to the pipeline open before a reload (keeping a newer local draft of it
 * as unsaved changes, or raising a conflict if the server moved meanwhile), then watch edits for autosave.
 */
export function startServerSync(draftOwnerId: string | null): () => void {
  let rec = openPipelineRecord();
  if (rec && rec.id !== draftOwnerId) {
    // The draft on the canvas is not a version of the recorded pipeline (another tab moved on, or it was
    // never saved): keep it as local work rather than saving it into the wrong pipeline.
    setOpenPipelineRecord(null);
    rec = null;
  }
  const url = new URL(window.location.href);
  const editKey = url.searchParams.get('edit');
  if (editKey) {
    // An edit link: open that pipeline, and take the secret out of the address bar (history, screenshots).
    url.searchParams.delete('edit');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    void openByKey(editKey);
  } else if (rec) {
    savedJson = rec.savedJson;
    useStorage.setState({ open: { key: rec.key, id: rec.id, revision: rec.revision }, status: docJson() === savedJson ? 'saved' : 'dirty' });
    void api.pipelines.open
      .query({ key: rec.key })
      .then((p) => {
        if (p.deletedAt !== null) return detach();
        useStorage.setState({ locks: p.locks });
        const mine = docJson();
        if (p.headRevision === rec.revision) {
          if (mine !== savedJson) schedule();
        } else if (mine === savedJson) {
          loadFromServer(p.doc); // no local edits: just take the newer revision
          savedJson = docJson();
          useStorage.setState({ open: { key: rec.key, id: p.id, revision: p.headRevision }, status: 'saved' });
          record();
        } else {
          useStorage.setState({ status: 'conflict', conflictHead: p.headRevision });
        }
      })
      .catch((err) => {
        const f = describeFailure(err, t('storage.doing.reopen'));
        // A revoked link cannot come back; a network problem can (the local draft is kept either way).
        if (f.code === 'FORBIDDEN') detach();
        useStorage.setState({ failure: f });
      });
  }
  const unsubscribe = useEditor.subscribe((s, prev) => {
    if (s.docRevision !== prev.docRevision && !loadingFromServer) {
      if (useStorage.getState().open) detach();
      return;
    }
    if (s.nodes === prev.nodes && s.edges === prev.edges && s.meta === prev.meta) return;
    const st = useStorage.getState();
    if (!st.open || st.status === 'conflict' || st.status === 'saving') {
      if (st.open && st.status === 'saving') schedule();
      return;
    }
    const dirty = docJson() !== savedJson;
    useStorage.setState({ status: dirty ? 'dirty' : 'saved' });
    if (dirty) schedule();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
