/**
 * Document commands: pipeline name, open a template, start empty, export/import JSON.
 * Replacing a non-empty document asks first; an invalid import changes nothing and lists its problems.
 */
'use client';
import { useRef, useState } from 'react';
import { PIPELINE_FORMAT, PIPELINE_SCHEMA_VERSION, type PipelineDoc, parsePipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { templates } from '../../graph-nodes/templates/index';
import { noteOpenedDoc } from './results/results-menu';
import { withDataManifest } from './results/results-store';
import { useEditor } from './store';

type Pending = { title: string; doc: PipelineDoc };

const emptyDoc = (): PipelineDoc => ({
  format: PIPELINE_FORMAT,
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: 'Untitled pipeline',
  nodes: [],
  edges: [],
});

/** Replace the document and report anything that had to be dropped while loading. */
export function openDoc(doc: PipelineDoc, what: string) {
  const s = useEditor.getState();
  const warnings = s.loadDoc(doc);
  const data = noteOpenedDoc(doc, what); // the data manifest it was exported with, if any
  s.setNotice(
    warnings.length > 0
      ? { kind: 'warn', text: `Opened ${what}, with problems:`, details: [...warnings, ...data] }
      : { kind: 'info', text: `Opened ${what}.`, ...(data.length > 0 ? { details: data } : {}) },
  );
}

export function DocMenu() {
  const name = useEditor((s) => s.meta.name);
  const setMeta = useEditor((s) => s.setMeta);
  const [pending, setPending] = useState<Pending | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const replaceWith = (title: string, doc: PipelineDoc) => {
    if (useEditor.getState().nodes.length === 0) openDoc(doc, title);
    else setPending({ title, doc });
  };

  const exportDoc = () => {
    const doc = withDataManifest(useEditor.getState().toDoc());
    const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${slug(doc.name)}.kizuki.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const importFile = async (file: File) => {
    const { setNotice } = useEditor.getState();
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (err) {
      setNotice({ kind: 'error', text: `${file.name} is not JSON: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.` });
      return;
    }
    const parsed = parsePipelineDoc(json);
    if (!parsed.ok) {
      setNotice({
        kind: 'error',
        text: `${file.name} is not a valid Kizuki pipeline. Nothing was changed.`,
        details: parsed.issues.map((i) => `${i.path}: ${i.message}`),
      });
      return;
    }
    replaceWith(file.name, parsed.doc);
  };

  return (
    <div className="doc-menu">
      <input
        className="doc-name"
        value={name}
        onChange={(e) => setMeta({ name: e.target.value })}
        aria-label="Pipeline name"
        maxLength={200}
        data-testid="doc-name"
      />
      <select
        value=""
        onChange={(e) => {
          const t = templates.find((x) => x.id === e.target.value);
          if (t) replaceWith(`template “${t.title}”`, t.doc);
        }}
        aria-label="Open template"
        data-testid="template-select"
      >
        <option value="">Templates…</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id} title={t.description}>
            {t.title}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={() => replaceWith('an empty pipeline', emptyDoc())} data-testid="new-doc">
        New
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()} data-testid="import">
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }}
        data-testid="import-input"
      />
      <button type="button" className="button" onClick={exportDoc} data-testid="export">
        Export
      </button>

      {pending ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
            <h2 id="confirm-title">Replace the current pipeline?</h2>
            <p>
              Opening {pending.title} replaces the pipeline on the canvas. Export it first if you want to keep it.
            </p>
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => setPending(null)} autoFocus>
                Cancel
              </button>
              <button
                type="button"
                className="button button--primary"
                onClick={() => {
                  openDoc(pending.doc, pending.title);
                  setPending(null);
                }}
                data-testid="confirm-replace"
              >
                Replace
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';
}
