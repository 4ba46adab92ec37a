/**
 * "Choose folder…" for image-set nodes with source = folder and for pretrained-cnn nodes (a TF.js model folder):
 * the picked files (or files/folders dropped here) go to the worker via addFiles; the node's `path` is set to
 * the root folder the worker reports. Files stay in the browser.
 */
'use client';
import { type DragEvent, useState } from 'react';
import { executor } from './executor-client';

type Picked = { path: string; blob: Blob };

/** Files (and folders, recursively) dropped on the page, with paths relative to the drop. */
export async function droppedFiles(dt: DataTransfer): Promise<Picked[]> {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry())
    .filter((x): x is FileSystemEntry => x !== null);
  let files = (await Promise.all(entries.map(readEntry))).flat();
  // Without file-system entries (some browsers, synthetic drops) fall back to the plain file list.
  if (entries.length === 0) files = Array.from(dt.files).map((f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
  // Loose files (no folder) go into one folder, so an image set can name them all by one path.
  if (files.length > 0 && files.every((f) => !f.path.includes('/'))) files = files.map((f) => ({ ...f, path: `dropped/${f.path}` }));
  // Hidden files and folders (.DS_Store, .git) are never images.
  return files.filter((f) => !f.path.split('/').some((part) => part.startsWith('.')));
}
type State = { phase: 'idle' } | { phase: 'loading' } | { phase: 'done'; count: number; roots: string[] } | { phase: 'error'; message: string };

export function FolderPicker({ path, onPath }: { path: string; onPath(p: string): void }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [over, setOver] = useState(false);

  const send = async (files: Picked[]) => {
    const images = files.filter((f) => !f.path.split('/').some((part) => part.startsWith('.')));
    if (images.length === 0) {
      setState({ phase: 'error', message: 'No files found there.' });
      return;
    }
    setState({ phase: 'loading' });
    try {
      const { roots, count } = await executor().addFiles(images);
      setState({ phase: 'done', count, roots });
      if (roots[0] && !roots.includes(path)) onPath(roots[0]);
    } catch (err) {
      setState({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    await send(await droppedFiles(e.dataTransfer));
  };

  return (
    <div
      className={`folder-picker${over ? ' folder-picker--over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="folder-picker"
    >
      <label className="button">
        Choose folder…
        <input
          type="file"
          multiple
          hidden
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            const list = Array.from(e.target.files ?? []);
            void send(list.map((f) => ({ path: f.webkitRelativePath || f.name, blob: f })));
            e.target.value = '';
          }}
          data-testid="folder-input"
        />
      </label>
      <span className="muted small"> or drop a folder here. Images stay on this computer.</span>
      {state.phase === 'loading' ? <p className="small">Reading files…</p> : null}
      {state.phase === 'error' ? <p className="field-error">{state.message}</p> : null}
      {state.phase === 'done' ? (
        <div className="small">
          {state.count} files available.
          {state.roots.length > 1 ? (
            <div className="roots">
              Use:{' '}
              {state.roots.map((r) => (
                <button key={r} type="button" className={r === path ? 'chip chip--on' : 'chip'} onClick={() => onPath(r)}>
                  {r}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** Files under a dropped entry, with paths relative to the drop (like webkitRelativePath). */
async function readEntry(entry: FileSystemEntry): Promise<Picked[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: entry.fullPath.replace(/^\//, ''), blob: file }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call; read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(readEntry))).flat();
}
