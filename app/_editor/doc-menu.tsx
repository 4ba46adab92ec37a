/**
 * Document commands: pipeline name, open a template, start empty, export/import JSON.
 * Replacing a non-empty document asks first; an invalid import changes nothing and lists its problems.
 */
'use client';
import { useRef, useState } from 'react';
import { PIPELINE_FORMAT, PIPELINE_SCHEMA_VERSION, type PipelineDoc, parsePipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import { templateText } from '../../graph-nodes/i18n/node-text';
import { templates } from '../../graph-nodes/templates/index';
import { t, useLangValue, useT } from '../_i18n/translate';
import { noteOpenedDoc } from './results/results-menu';
import { withDataManifest } from './results/results-store';
import { useEditor } from './store';

type Pending = { title: string; doc: PipelineDoc };

const emptyDoc = (): PipelineDoc => ({
  format: PIPELINE_FORMAT,
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: t('doc.untitled'),
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
      ? { kind: 'warn', text: t('doc.openedWithProblems', { what }), details: [...warnings, ...data] }
      : { kind: 'info', text: t('doc.opened', { what }), ...(data.length > 0 ? { details: data } : {}) },
  );
}

export function DocMenu() {
  const name = useEditor((s) => s.meta.name);
  const setMeta = useEditor((s) => s.setMeta);
  const [pending, setPending] = useState<Pending | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const tr = useT();
  const lang = useLangValue();

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
      setNotice({ kind: 'error', text: t('doc.notJson', { file: file.name, reason: err instanceof Error ? err.message : String(err) }) });
      return;
    }
    const parsed = parsePipelineDoc(json);
    if (!parsed.ok) {
      setNotice({
        kind: 'error',
        text: t('doc.notPipeline', { file: file.name }),
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
        aria-label={tr('doc.name')}
        maxLength={200}
        data-testid="doc-name"
      />
      <select
        value=""
        onChange={(e) => {
          const t = templates.find((x) => x.id === e.target.value);
          if (t) replaceWith(tr('doc.templateWhat', { title: templateText(t, lang).title }), t.doc);
        }}
        aria-label={tr('doc.openTemplate')}
        data-testid="template-select"
      >
        <option value="">{tr('doc.templates')}</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id} title={templateText(t, lang).description}>
            {templateText(t, lang).title}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={() => replaceWith(tr('doc.emptyWhat'), emptyDoc())} data-testid="new-doc">
        {tr('doc.new')}
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()} data-testid="import">
        {tr('doc.import')}
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
        {tr('doc.export')}
      </button>

      {pending ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{tr('doc.replaceTitle')}</h2>
            <p>{tr('doc.replaceBody', { what: pending.title })}</p>
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => setPending(null)} autoFocus>
                {tr('common.cancel')}
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
                {tr('doc.replace')}
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
